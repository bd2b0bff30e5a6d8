package dev.switchboard.app.experts;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Plugin jars uploaded through the admin API, in PostgreSQL (table {@code plugin_jar}) with their SHA-256, for
 * every replica to fetch. Blocking, bounded calls (fleet thread, admin requests off the event loop).
 */
@Component
class PluginJarStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A stored jar without its bytes. */
    record Entry(String pluginId, String version, String sha256, long sizeBytes) {}

    private final DatabaseClient database;

    PluginJarStore(DatabaseClient database) {
        this.database = database;
    }

    List<Entry> list() {
        return database.sql("SELECT plugin_id, version, sha256, size_bytes FROM plugin_jar ORDER BY plugin_id")
                .map(row -> new Entry(row.get("plugin_id", String.class), row.get("version", String.class),
                        row.get("sha256", String.class), row.get("size_bytes", Long.class)))
                .all().collectList().block(TIMEOUT);
    }

    Optional<byte[]> content(String pluginId, String sha256) {
        return database.sql("SELECT content FROM plugin_jar WHERE plugin_id = $1 AND sha256 = $2")
                .bind(0, pluginId).bind(1, sha256)
                .map(row -> toBytes(row.get("content", java.nio.ByteBuffer.class)))
                .one().blockOptional(TIMEOUT);
    }

    /** Stores a jar; false when a jar with this plugin id is already stored. */
    boolean insert(Entry entry, byte[] content, String uploadedBy) {
        Long inserted = database.sql("""
                        INSERT INTO plugin_jar (plugin_id, version, sha256, size_bytes, content, uploaded_by)
                        VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (plugin_id) DO NOTHING
                        """)
                .bind(0, entry.pluginId()).bind(1, entry.version()).bind(2, entry.sha256()).bind(3, entry.sizeBytes())
                .bind(4, java.nio.ByteBuffer.wrap(content)).bind(5, uploadedBy)
                .fetch().rowsUpdated().block(TIMEOUT);
        return inserted != null && inserted == 1;
    }

    /** Deletes the stored jar of {@code pluginId}; false when there was none. */
    boolean delete(String pluginId) {
        Long deleted = database.sql("DELETE FROM plugin_jar WHERE plugin_id = $1").bind(0, pluginId).fetch().rowsUpdated().block(TIMEOUT);
        return deleted != null && deleted == 1;
    }

    private static byte[] toBytes(java.nio.ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
