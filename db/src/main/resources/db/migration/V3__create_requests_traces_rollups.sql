-- Routing statistics, part 3: completed requests, sampled token traces, coarse rollups, idempotent events.
-- Never edit this file once landed: add a new version instead.

-- One row per completed request (id is the API's request id: a retried flush inserts nothing new).
CREATE TABLE completion_request (
    id                 TEXT             PRIMARY KEY,
    received_at        TIMESTAMPTZ      NOT NULL,
    instance_id        TEXT             NOT NULL,
    model_id           TEXT             NOT NULL,
    prompt_tokens      INTEGER          NOT NULL,
    completion_tokens  INTEGER          NOT NULL,
    latency_ms         DOUBLE PRECISION NOT NULL,
    finish_reason      TEXT             NOT NULL,
    domain             TEXT             NOT NULL DEFAULT ''
);

CREATE INDEX completion_request_model_time ON completion_request (model_id, received_at);
CREATE INDEX completion_request_time ON completion_request (received_at);

-- Sampled per-token routing: the chosen experts (choice order) and their routing weights.
CREATE TABLE token_trace (
    request_id   TEXT        NOT NULL,
    position     INTEGER     NOT NULL,
    layer        INTEGER     NOT NULL,
    traced_at    TIMESTAMPTZ NOT NULL,
    model_id     TEXT        NOT NULL,
    domain       TEXT        NOT NULL DEFAULT '',
    token_text   TEXT        NOT NULL,
    experts      INTEGER[]   NOT NULL,
    weights      REAL[]      NOT NULL,
    PRIMARY KEY (request_id, position, layer)
);

-- Retention deletes by time; "top tokens of expert e at layer l" filters by model, layer and experts @> ARRAY[e].
CREATE INDEX token_trace_time ON token_trace (traced_at);
CREATE INDEX token_trace_model_layer ON token_trace (model_id, layer);
CREATE INDEX token_trace_experts ON token_trace USING GIN (experts);

-- Raw windows older than the retention age are summed into coarse buckets (instances folded
-- together) and deleted in the same transaction, so totals stay exact.
CREATE TABLE expert_rollup (
    bucket_start     TIMESTAMPTZ      NOT NULL,
    bucket_seconds   INTEGER          NOT NULL,
    model_id         TEXT             NOT NULL,
    layer            INTEGER          NOT NULL,
    expert           INTEGER          NOT NULL,
    domain           TEXT             NOT NULL DEFAULT '',
    first_choice     BIGINT           NOT NULL DEFAULT 0,
    any_choice       BIGINT           NOT NULL DEFAULT 0,
    router_prob_sum  DOUBLE PRECISION NOT NULL DEFAULT 0,
    dropped          BIGINT           NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket_start, model_id, layer, expert, domain)
);

CREATE INDEX expert_rollup_model_time ON expert_rollup (model_id, bucket_start);

CREATE TABLE layer_rollup (
    bucket_start           TIMESTAMPTZ      NOT NULL,
    bucket_seconds         INTEGER          NOT NULL,
    model_id               TEXT             NOT NULL,
    layer                  INTEGER          NOT NULL,
    domain                 TEXT             NOT NULL DEFAULT '',
    num_experts            INTEGER          NOT NULL,
    steps                  BIGINT           NOT NULL DEFAULT 0,
    tokens                 BIGINT           NOT NULL DEFAULT 0,
    dropped                BIGINT           NOT NULL DEFAULT 0,
    aux_loss_sum           DOUBLE PRECISION NOT NULL DEFAULT 0,
    z_loss_sum             DOUBLE PRECISION NOT NULL DEFAULT 0,
    entropy_sum            DOUBLE PRECISION NOT NULL DEFAULT 0,
    consecutive_pairs      BIGINT           NOT NULL DEFAULT 0,
    same_first_pairs       BIGINT           NOT NULL DEFAULT 0,
    first_or_second_pairs  BIGINT           NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket_start, model_id, layer, domain)
);

CREATE INDEX layer_rollup_model_time ON layer_rollup (model_id, bucket_start);

-- The read path sees raw windows and rollups as one series of periods.
CREATE VIEW expert_usage AS
    SELECT window_start AS period_start, window_seconds AS period_seconds, model_id, layer, expert, domain,
           first_choice, any_choice, router_prob_sum, dropped
      FROM expert_window
    UNION ALL
    SELECT bucket_start, bucket_seconds, model_id, layer, expert, domain,
           first_choice, any_choice, router_prob_sum, dropped
      FROM expert_rollup;

CREATE VIEW layer_usage AS
    SELECT window_start AS period_start, window_seconds AS period_seconds, model_id, layer, domain, num_experts,
           steps, tokens, dropped, aux_loss_sum, z_loss_sum, entropy_sum,
           consecutive_pairs, same_first_pairs, first_or_second_pairs
      FROM layer_window
    UNION ALL
    SELECT bucket_start, bucket_seconds, model_id, layer, domain, num_experts,
           steps, tokens, dropped, aux_loss_sum, z_loss_sum, entropy_sum,
           consecutive_pairs, same_first_pairs, first_or_second_pairs
      FROM layer_rollup;

-- Lifecycle events get a client-generated id so a retried flush inserts each event once.
ALTER TABLE expert_event ADD COLUMN event_id UUID;
CREATE UNIQUE INDEX expert_event_event_id ON expert_event (event_id);
CREATE INDEX expert_event_model_time ON expert_event (model_id, occurred_at DESC);
