-- Routing statistics, part 7: per-window totals and token counts for the read path (issue 15, statistics reads at scale).
-- Never edit this file once landed: add a new version instead.
--
-- Charts in 10 s buckets (and the ragged ends of every chart) still read the raw windows: one row per instance, domain,
-- layer and expert of each window, grouped at read time. The writer now also keeps each window's totals with domains and
-- instances folded, recomputed in the window's transaction like the V4 and V5 aggregates (AggregateRefresh), and
-- retention deletes them with the raw windows they fold (the rollups keep those). A period belongs to the bucket its
-- start falls in, so a folded row falls in the same bucket of any size as the raw rows it sums.
CREATE TABLE expert_total_window (
    window_start     TIMESTAMPTZ      NOT NULL,
    model_id         TEXT             NOT NULL,
    layer            INTEGER          NOT NULL,
    expert           INTEGER          NOT NULL,
    first_choice     BIGINT           NOT NULL,
    any_choice       BIGINT           NOT NULL,
    router_prob_sum  DOUBLE PRECISION NOT NULL,
    dropped          BIGINT           NOT NULL,
    -- time first: the writer replaces a window's span for every model at once, and reads take one model's range
    PRIMARY KEY (window_start, model_id, layer, expert)
);

CREATE TABLE layer_total_window (
    window_start           TIMESTAMPTZ      NOT NULL,
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
    PRIMARY KEY (window_start, model_id, layer)
);

-- What the charts read where no coarser level fits: the window totals, and the rollups of older windows.
CREATE VIEW expert_total_usage AS
    SELECT window_start AS period_start, model_id, layer, expert, first_choice, any_choice, router_prob_sum, dropped
      FROM expert_total_window
    UNION ALL
    SELECT bucket_start, model_id, layer, expert, first_choice, any_choice, router_prob_sum, dropped
      FROM expert_rollup;

CREATE VIEW layer_total_usage AS
    SELECT window_start AS period_start, model_id, layer, num_experts, steps, tokens, dropped, aux_loss_sum, z_loss_sum,
           entropy_sum, consecutive_pairs, same_first_pairs, first_or_second_pairs
      FROM layer_total_window
    UNION ALL
    SELECT bucket_start, model_id, layer, num_experts, steps, tokens, dropped, aux_loss_sum, z_loss_sum,
           entropy_sum, consecutive_pairs, same_first_pairs, first_or_second_pairs
      FROM layer_rollup;

-- Top tokens of an expert over a week scanned every sampled trace of the week. The trace writer now also counts,
-- in the statement that inserts the traces, each newly inserted trace once per distinct expert in its choices (and
-- as a first choice for experts[1]), per hour and per UTC day; a retried batch inserts no trace twice, so it counts
-- none twice. Retention deletes traces and their counts by the same whole days.
CREATE TABLE token_count_1h (
    bucket_start  TIMESTAMPTZ NOT NULL,
    model_id      TEXT        NOT NULL,
    layer         INTEGER     NOT NULL,
    expert        INTEGER     NOT NULL,
    token_text    TEXT        NOT NULL,
    first_choice  BIGINT      NOT NULL,
    any_choice    BIGINT      NOT NULL,
    PRIMARY KEY (model_id, layer, expert, bucket_start, token_text)
);

CREATE TABLE token_count_1d (LIKE token_count_1h INCLUDING ALL);

-- Only the ragged ends of a top-tokens range (under an hour each) still read traces: by model, layer and time. The
-- indexes this replaces, on (model_id, layer) and (GIN) on experts, found every trace of the layer or expert however
-- old, and the planner combined them with the time range; nothing else reads by them.
CREATE INDEX token_trace_model_layer_time ON token_trace (model_id, layer, traced_at);
DROP INDEX token_trace_model_layer;
DROP INDEX token_trace_experts;

-- What was written before this version.
INSERT INTO expert_total_window
SELECT window_start, model_id, layer, expert, sum(first_choice), sum(any_choice), sum(router_prob_sum), sum(dropped)
  FROM expert_window GROUP BY window_start, model_id, layer, expert ORDER BY window_start, model_id, layer, expert;

INSERT INTO layer_total_window
SELECT window_start, model_id, layer, max(num_experts), sum(steps), sum(tokens), sum(dropped), sum(aux_loss_sum),
       sum(z_loss_sum), sum(entropy_sum), sum(consecutive_pairs), sum(same_first_pairs), sum(first_or_second_pairs)
  FROM layer_window GROUP BY window_start, model_id, layer ORDER BY window_start, model_id, layer;

INSERT INTO token_count_1h
SELECT date_bin('1 hour', t.traced_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'), t.model_id, t.layer, x.expert, t.token_text,
       count(*) FILTER (WHERE t.experts[1] = x.expert), count(*)
  FROM token_trace t CROSS JOIN LATERAL (SELECT DISTINCT e AS expert FROM unnest(t.experts) AS e) x
 GROUP BY 1, t.model_id, t.layer, x.expert, t.token_text ORDER BY 2, 3, 4, 1, 5;

INSERT INTO token_count_1d
SELECT date_bin('1 day', bucket_start, TIMESTAMPTZ '1970-01-01 00:00:00+00'), model_id, layer, expert, token_text,
       sum(first_choice), sum(any_choice)
  FROM token_count_1h GROUP BY 1, model_id, layer, expert, token_text ORDER BY 2, 3, 4, 1, 5;
