package dev.switchboard.app.fleet;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;

/** The {@code replica} table: one row per running replica, rewritten by its heartbeat. Blocking, bounded calls. */
public final class ReplicaRepository {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final DatabaseClient database;

    public ReplicaRepository(DatabaseClient database) {
        this.database = database;
    }

    void heartbeat(Replica replica, @Nullable String model, long appliedVersion, @Nullable String applyError, int queued,
            int running, Instant now) {
        DatabaseClient.GenericExecuteSpec sql = database.sql("""
                        INSERT INTO replica (instance_id, app_version, model_id, applied_version, apply_error, queued, running,
                                             started_at, last_heartbeat)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                        ON CONFLICT (instance_id) DO UPDATE SET model_id = EXCLUDED.model_id,
                            applied_version = EXCLUDED.applied_version, apply_error = EXCLUDED.apply_error,
                            queued = EXCLUDED.queued, running = EXCLUDED.running, last_heartbeat = EXCLUDED.last_heartbeat
                        """)
                .bind(0, replica.instanceId()).bind(1, replica.appVersion());
        sql = model == null ? sql.bindNull(2, String.class) : sql.bind(2, model);
        sql = sql.bind(3, appliedVersion);
        sql = applyError == null ? sql.bindNull(4, String.class) : sql.bind(4, applyError);
        sql.bind(5, queued).bind(6, running).bind(7, replica.startedAt()).bind(8, now).fetch().rowsUpdated().block(TIMEOUT);
    }

    /** Deletes the rows of replicas silent since {@code before}; answers how many. */
    long expire(Instant before) {
        Long deleted = database.sql("DELETE FROM replica WHERE last_heartbeat < $1").bind(0, before).fetch().rowsUpdated()
                .block(TIMEOUT);
        return deleted == null ? 0 : deleted;
    }

    /** Deletes this replica's row; bounded by a second, as it runs inside the shutdown budget (docs/API.md). */
    void remove(Replica replica) {
        database.sql("DELETE FROM replica WHERE instance_id = $1").bind(0, replica.instanceId()).fetch().rowsUpdated()
                .block(Duration.ofSeconds(1));
    }

    /** Every replica whose heartbeat is not older than {@code since}, by instance id. */
    public List<ReplicaView> live(Instant since) {
        return database.sql("""
                        SELECT instance_id, app_version, model_id, applied_version, apply_error, queued, running, started_at,
                               last_heartbeat FROM replica WHERE last_heartbeat >= $1 ORDER BY instance_id
                        """)
                .bind(0, since)
                .map(row -> new ReplicaView(row.get("instance_id", String.class), row.get("app_version", String.class),
                        row.get("model_id", String.class), row.get("applied_version", Long.class), row.get("apply_error", String.class),
                        row.get("queued", Integer.class), row.get("running", Integer.class),
                        row.get("started_at", OffsetDateTime.class).toInstant(),
                        row.get("last_heartbeat", OffsetDateTime.class).toInstant()))
                .all().collectList().block(TIMEOUT);
    }
}
