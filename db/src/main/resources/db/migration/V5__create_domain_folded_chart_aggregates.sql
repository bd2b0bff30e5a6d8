-- Routing statistics, part 5: totals over every domain and instance, for the charts (issue 15, statistics reads at scale).
-- Never edit this file once landed: add a new version instead.
--
-- The dashboard's charts (utilisation, balance) sum the domains and instances of each bucket. Read from the V4
-- aggregates, which keep domains apart, every bucket cost its rows times the number of domains, then a grouping;
-- and one-minute buckets (the default) had no aggregate at all, so an hour's chart grouped every raw window. The
-- writer now also keeps one-minute, 5-minute and hourly totals with domains and instances folded, recomputed in the
-- window's transaction like the V4 ones (AggregateRefresh); a chart reads about one row per bucket, layer and
-- expert. A period belongs to the bucket its start falls in, as everywhere else.

CREATE TABLE expert_total_1m (
    bucket_start     TIMESTAMPTZ      NOT NULL,
    model_id         TEXT             NOT NULL,
    layer            INTEGER          NOT NULL,
    expert           INTEGER          NOT NULL,
    first_choice     BIGINT           NOT NULL,
    any_choice       BIGINT           NOT NULL,
    router_prob_sum  DOUBLE PRECISION NOT NULL,
    dropped          BIGINT           NOT NULL,
    PRIMARY KEY (model_id, bucket_start, layer, expert)
);

CREATE TABLE expert_total_5m (LIKE expert_total_1m INCLUDING ALL);
CREATE TABLE expert_total_1h (LIKE expert_total_1m INCLUDING ALL);

CREATE TABLE layer_total_1m (
    bucket_start           TIMESTAMPTZ      NOT NULL,
    model_id               TEXT             NOT NULL,
    layer                  INTEGER          NOT NULL,
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
    PRIMARY KEY (model_id, bucket_start, layer)
);

CREATE TABLE layer_total_5m (LIKE layer_total_1m INCLUDING ALL);
CREATE TABLE layer_total_1h (LIKE layer_total_1m INCLUDING ALL);

-- What was written before this version (the 5-minute and hourly totals from the V4 aggregates).
INSERT INTO expert_total_1m
SELECT date_bin('1 minute', period_start, TIMESTAMPTZ '1970-01-01 00:00:00+00'), model_id, layer, expert,
       sum(first_choice), sum(any_choice), sum(router_prob_sum), sum(dropped)
  FROM expert_usage GROUP BY 1, model_id, layer, expert;

INSERT INTO expert_total_5m
SELECT bucket_start, model_id, layer, expert, sum(first_choice), sum(any_choice), sum(router_prob_sum), sum(dropped)
  FROM expert_5m GROUP BY bucket_start, model_id, layer, expert;

INSERT INTO expert_total_1h
SELECT bucket_start, model_id, layer, expert, sum(first_choice), sum(any_choice), sum(router_prob_sum), sum(dropped)
  FROM expert_1h GROUP BY bucket_start, model_id, layer, expert;

INSERT INTO layer_total_1m
SELECT date_bin('1 minute', period_start, TIMESTAMPTZ '1970-01-01 00:00:00+00'), model_id, layer, max(num_experts),
       sum(steps), sum(tokens), sum(dropped), sum(aux_loss_sum), sum(z_loss_sum), sum(entropy_sum),
       sum(consecutive_pairs), sum(same_first_pairs), sum(first_or_second_pairs)
  FROM layer_usage GROUP BY 1, model_id, layer;

INSERT INTO layer_total_5m
SELECT bucket_start, model_id, layer, max(num_experts), sum(steps), sum(tokens), sum(dropped), sum(aux_loss_sum),
       sum(z_loss_sum), sum(entropy_sum), sum(consecutive_pairs), sum(same_first_pairs), sum(first_or_second_pairs)
  FROM layer_5m GROUP BY bucket_start, model_id, layer;

INSERT INTO layer_total_1h
SELECT bucket_start, model_id, layer, max(num_experts), sum(steps), sum(tokens), sum(dropped), sum(aux_loss_sum),
       sum(z_loss_sum), sum(entropy_sum), sum(consecutive_pairs), sum(same_first_pairs), sum(first_or_second_pairs)
  FROM layer_1h GROUP BY bucket_start, model_id, layer;
