package dev.switchboard.app.fleet;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One replica as {@code GET /api/admin/instances} shows it (from its last heartbeat).
 *
 * @param instance its instance id, as in the statistics
 * @param version the application's version
 * @param model the model it serves; null while none is loaded
 * @param expertConfigurationVersion the version of the shared expert configuration its live table matches
 * @param expertConfigurationError why it could not apply the newest version; null when it did
 * @param queued requests waiting for a batch slot
 * @param running sequences being generated
 * @param startedAt when the process started
 * @param lastHeartbeat when it last reported
 */
public record ReplicaView(String instance, String version, @Nullable String model, long expertConfigurationVersion,
        @Nullable String expertConfigurationError, int queued, int running, Instant startedAt, Instant lastHeartbeat) {}
