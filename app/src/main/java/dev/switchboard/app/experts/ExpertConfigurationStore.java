package dev.switchboard.app.experts;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The versioned desired expert configurations in PostgreSQL (table {@code expert_configuration}). Blocking:
 * called by the fleet's sync thread and by admin requests off the event loop, each call bounded.
 */
@Component
class ExpertConfigurationStore {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** One stored version. */
    record Stored(long version, ExpertConfiguration configuration, Instant changedAt, String changedBy) {}

    private final DatabaseClient database;
    private final JsonMapper json;

    ExpertConfigurationStore(DatabaseClient database, JsonMapper json) {
        this.database = database;
        this.json = json;
    }

    /** The newest version for {@code model}; empty while the model runs as loaded (version 0). */
    Optional<Stored> latest(String model) {
        return database.sql("""
                        SELECT version, configuration::text AS configuration, changed_at, changed_by FROM expert_configuration
                         WHERE model_id = $1 ORDER BY version DESC LIMIT 1
                        """)
                .bind(0, model)
                .map(row -> new Stored(row.get("version", Long.class),
                        json.readValue(row.get("configuration", String.class), ExpertConfiguration.class),
                        row.get("changed_at", OffsetDateTime.class).toInstant(), row.get("changed_by", String.class)))
                .one().blockOptional(TIMEOUT);
    }

    /**
     * Stores {@code configuration} as {@code version}, which must be the next after the newest.
     *
     * @return false when another replica stored that version first
     */
    boolean insert(String model, long version, ExpertConfiguration configuration, String changedBy) {
        try {
            database.sql("""
                            INSERT INTO expert_configuration (model_id, version, configuration, changed_by)
                            VALUES ($1, $2, $3::jsonb, $4)
                            """)
                    .bind(0, model).bind(1, version).bind(2, json.writeValueAsString(configuration)).bind(3, changedBy)
                    .fetch().rowsUpdated().block(TIMEOUT);
            return true;
        } catch (DataIntegrityViolationException taken) {
            return false;
        }
    }
}
