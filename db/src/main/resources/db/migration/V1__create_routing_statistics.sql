-- First tables of the routing statistics (issue: statistics in PostgreSQL).
-- Never edit this file once landed: add V2__... instead.

-- One row per closed time window, instance, model, layer and expert. Values are absolute counts for
-- the window, written by idempotent upsert, so a retried flush cannot double count.
CREATE TABLE expert_window (
    window_start      TIMESTAMPTZ      NOT NULL,
    window_seconds    INTEGER          NOT NULL,
    instance_id       TEXT             NOT NULL,
    model_id          TEXT             NOT NULL,
    layer             INTEGER          NOT NULL,
    expert            INTEGER          NOT NULL,
    first_choice      BIGINT           NOT NULL DEFAULT 0,
    any_choice        BIGINT           NOT NULL DEFAULT 0,
    router_prob_sum   DOUBLE PRECISION NOT NULL DEFAULT 0,
    dropped           BIGINT           NOT NULL DEFAULT 0,
    PRIMARY KEY (window_start, instance_id, model_id, layer, expert)
);

CREATE INDEX expert_window_model_time ON expert_window (model_id, window_start);

-- Expert lifecycle: loaded, added, disabled, replaced, failed, with the reason.
CREATE TABLE expert_event (
    id           BIGSERIAL   PRIMARY KEY,
    occurred_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    instance_id  TEXT        NOT NULL,
    model_id     TEXT,
    layer        INTEGER,
    expert       INTEGER,
    plugin       TEXT,
    kind         TEXT        NOT NULL,
    reason       TEXT
);

CREATE INDEX expert_event_time ON expert_event (occurred_at DESC);
