-- Routing statistics, part 2: per-domain expert counts and per-layer window statistics.
-- Never edit this file once landed: add a new version instead.

-- The domain tag (from the request's metadata or `user` field; '' when untagged) becomes part of the
-- per-expert key so that per-domain distributions (Mixtral Fig. 7) are queryable. The totals of a
-- window are the sum over its domains.
ALTER TABLE expert_window ADD COLUMN domain TEXT NOT NULL DEFAULT '';
ALTER TABLE expert_window DROP CONSTRAINT expert_window_pkey;
ALTER TABLE expert_window ADD PRIMARY KEY (window_start, instance_id, model_id, layer, expert, domain);

-- One row per closed window, instance, model, layer and domain. Absolute values for the window,
-- written by idempotent upsert like expert_window.
--   aux_loss_sum:     Σ over forward steps of the step's Switch aux loss N·Σ f_i·P_i (docs/MOE.md#switch-load-balancing-loss); mean = / steps
--   z_loss_sum:       Σ over tokens of logsumexp(router logits)² (ST-MoE; docs/MOE.md#router-z-loss); mean = / tokens
--   entropy_sum:      Σ over tokens of the router distribution's entropy in nats; mean = / tokens
--   consecutive_pairs / same_first_pairs / first_or_second_pairs: consecutive tokens (i, i+1) of one
--     sequence, and those whose first choice is the same expert / whose first-two choices share an
--     expert (Mixtral Table 5; docs/MOE.md#consecutive-tokens).
CREATE TABLE layer_window (
    window_start           TIMESTAMPTZ      NOT NULL,
    window_seconds         INTEGER          NOT NULL,
    instance_id            TEXT             NOT NULL,
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
    PRIMARY KEY (window_start, instance_id, model_id, layer, domain)
);

-- The read path filters by model and time range.
CREATE INDEX layer_window_model_time ON layer_window (model_id, window_start);

-- The flusher replaces an instance's rows in a window's span (delete + upsert in one transaction).
CREATE INDEX expert_window_instance_time ON expert_window (instance_id, window_start);
CREATE INDEX layer_window_instance_time ON layer_window (instance_id, window_start);
