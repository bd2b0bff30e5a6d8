-- Shared state of the replicas that serve one model from one PostgreSQL (issue 14, beyond one machine).
-- Never edit this file once landed: add a new version instead.
--
-- expert_configuration: the desired expert configuration of a model, one row per version, never updated.
-- Every lifecycle change (disable/enable, replace kind, add/remove a contributed expert) made on any
-- replica inserts version n+1; the primary key makes two replicas racing for the same n+1 fail one of them
-- (optimistic concurrency). Each replica reconciles its live expert table to the newest version, woken by
-- NOTIFY switchboard_fleet (payload: the model id) and by a periodic poll as fallback.
CREATE TABLE expert_configuration (
    model_id       TEXT        NOT NULL,
    version        BIGINT      NOT NULL CHECK (version > 0),
    configuration  JSONB       NOT NULL,
    changed_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    changed_by     TEXT        NOT NULL,
    PRIMARY KEY (model_id, version)
);

-- replica: one row per running process (the statistics' instance id), rewritten by its heartbeat. Rows
-- whose heartbeat is older than the expiry are deleted by any replica's heartbeat.
CREATE TABLE replica (
    instance_id           TEXT        PRIMARY KEY,
    app_version           TEXT        NOT NULL,
    model_id              TEXT,
    applied_version       BIGINT      NOT NULL DEFAULT 0,
    apply_error           TEXT,
    queued                INTEGER     NOT NULL DEFAULT 0,
    running               INTEGER     NOT NULL DEFAULT 0,
    started_at            TIMESTAMPTZ NOT NULL,
    last_heartbeat        TIMESTAMPTZ NOT NULL
);

-- plugin_jar: expert plugin jars uploaded through the admin API, fetched and loaded by every replica.
-- Deleting a row unloads the plugin everywhere.
CREATE TABLE plugin_jar (
    plugin_id    TEXT        PRIMARY KEY,
    version      TEXT        NOT NULL,
    sha256       TEXT        NOT NULL,
    size_bytes   BIGINT      NOT NULL,
    content      BYTEA       NOT NULL,
    uploaded_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    uploaded_by  TEXT        NOT NULL
);
