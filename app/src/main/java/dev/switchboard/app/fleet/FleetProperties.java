package dev.switchboard.app.fleet;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How replicas that share one PostgreSQL keep in step, under {@code switchboard.fleet}.
 *
 * @param pollInterval how often a replica syncs (plugins, expert configuration) and writes its heartbeat
 *     without being woken; a NOTIFY wakes it at once
 * @param instanceExpiry a replica whose heartbeat is older than this is no longer listed, and its row is deleted
 * @param pluginMaxSize the largest plugin jar {@code POST /api/admin/plugins} accepts
 */
@ConfigurationProperties("switchboard.fleet")
public record FleetProperties(
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("30s") Duration instanceExpiry,
        @DefaultValue("64MB") DataSize pluginMaxSize) {

    public FleetProperties {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("switchboard.fleet.poll-interval must be positive, found " + pollInterval);
        }
        if (instanceExpiry.compareTo(pollInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("switchboard.fleet.instance-expiry (" + instanceExpiry
                    + ") must be at least twice switchboard.fleet.poll-interval (" + pollInterval
                    + "), or live replicas would expire between two heartbeats");
        }
    }
}
