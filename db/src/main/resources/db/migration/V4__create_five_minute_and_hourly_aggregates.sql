-- Routing statistics, part 4: pre-aggregated totals for the read path (issue 15, statistics reads at scale).
-- Never edit this file once landed: add a new version instead.
--
-- A day of 10 s windows over 4 domains is about a million expert_window rows, and grouping them into
-- buckets at read time took seconds. The writer now keeps two coarser copies, instances folded together,
-- recomputed from the raw rows (and rollups) of the spans it writes, in the same transaction: 5-minute
-- and hourly buckets. The read path takes each part of a range from the coarsest level that fits the
-- requested bucket size and alignment (RoutingStatsRepository), so its cost follows the number of
-- buckets, not the number of raw windows. A period belongs to the bucket its start falls in, as in the
-- expert_usage and layer_usage views.

CREATE TABLE expert_5m (
    bucket_start     TIMESTAMPTZ      NOT NULL,
    model_id         TEXT             NOT NULL,
    layer            INTEGER          NOT NULL,
    expert           INTEGER          NOT NULL,
    domain           TEXT             NOT NULL,
    first_choice     BIGINT           NOT NULL,
    any_choice       BIGINT           NOT NULL,
    router_prob_sum  DOUBLE PRECISION NOT NULL,
    dropped          BIGINT           NOT NULL,
    PRIMARY KEY (model_id, bucket_start, layer, expert, domain)
);

CREATE TABLE expert_1h (LIKE expert_5m INCLUDING ALL);

CREATE TABLE layer_5m (
    bucket_start           TIMESTAMPTZ      NOT NULL,
    model_id               TEXT             NOT NULL,
    layer                  INTEGER          NOT NULL,
    domain                 TEXT             NOT NULL,
    num_experts            INTEGER          NOT NULL,
    steps                  BIGINT           NOT NULL,
    tokens                 BIGINT           NOT NULL,
    dropped                BIGINT           NOT NULL,
    aux_loss_sum           DOUBLE PRECISION NOT NULL,
    z_loss_sum             DOUBLE PRECISION NOT NULL,
    entropy_sum            DOUBLE PRECISION NOT NULL,
    consecutive_pairs      BIGINT           NOT NULL,
    same_first_pairs       BIGINT           NOT NULL,
    first_or_second_pairs  BIGINT           NOT NULL,
    PRIMARY KEY (model_id, bucket_start, layer, domain)
);

CREATE TABLE layer_1h (LIKE layer_5m INCLUDING ALL);

-- What was written before this version.
INSERT INTO expert_5m
SELECT to_timestamp(floor(extract(epoch FROM period_start) / 300) * 300), model_id, layer, expert, domain,
       sum(first_choice), sum(any_choice), sum(router_prob_sum), sum(dropped)
  FROM expert_usage GROUP BY 1, model_id, layer, expert, domain;

INSERT INTO expert_1h
SELECT date_trunc('hour', bucket_start), model_id, layer, expert, domain,
       sum(first_choice), sum(any_choice), sum(router_prob_sum), sum(dropped)
  FROM expert_5m GROUP BY 1, model_id, layer, expert, domain;

INSERT INTO layer_5m
SELECT to_timestamp(floor(extract(epoch FROM period_start) / 300) * 300), model_id, layer, domain, max(num_experts),
       sum(steps), sum(tokens), sum(dropped), sum(aux_loss_sum), sum(z_loss_sum), sum(entropy_sum),
       sum(consecutive_pairs), sum(same_first_pairs), sum(first_or_second_pairs)
  FROM layer_usage GROUP BY 1, model_id, layer, domain;

INSERT INTO layer_1h
SELECT date_trunc('hour', bucket_start), model_id, layer, domain, max(num_experts),
       sum(steps), sum(tokens), sum(dropped), sum(aux_loss_sum), sum(z_loss_sum), sum(entropy_sum),
       sum(consecutive_pairs), sum(same_first_pairs), sum(first_or_second_pairs)
  FROM layer_5m GROUP BY 1, model_id, layer, domain;
