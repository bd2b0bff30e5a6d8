package dev.switchboard.app.fleet;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this replica's row (model, applied expert-configuration version and error, queue, running) at every
 * fleet sync, after the other tasks so the row says what they achieved, and deletes the rows of replicas
 * silent for longer than {@code switchboard.fleet.instance-expiry} (a replica killed without a goodbye).
 * A stopping replica deletes its own row.
 */
final class ReplicaHeartbeat implements FleetTask {

    private static final Logger log = LoggerFactory.getLogger(ReplicaHeartbeat.class);

    private final Replica replica;
    private final ReplicaRepository replicas;
    private final ExpertConfigurationState experts;
    private final MeterRegistry meters;
    private final FleetProperties properties;
    private final Clock clock;

    ReplicaHeartbeat(Replica replica, ReplicaRepository replicas, ExpertConfigurationState experts, MeterRegistry meters,
            FleetProperties properties, Clock clock) {
        this.replica = replica;
        this.replicas = replicas;
        this.experts = experts;
        this.meters = meters;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void sync() {
        Instant now = clock.instant();
        try {
            replicas.heartbeat(replica, experts.modelId().orElse(null), experts.appliedVersion(),
                    experts.applyError().orElse(null), gauge("switchboard.queue.size"), gauge("switchboard.sequences.running"), now);
            long expired = replicas.expire(now.minus(properties.instanceExpiry()));
            if (expired > 0) {
                log.info("{} replicas expired: no heartbeat for {}", expired, properties.instanceExpiry());
            }
        } catch (RuntimeException unreachable) {
            log.debug("Heartbeat not written ({}); next at the poll interval", unreachable.toString());
        }
    }

    @Override
    public void leave() {
        replicas.remove(replica);
    }

    /** The serving gauges (GenerationMetrics), read by name: the fleet does not reach into the scheduler. */
    private int gauge(String name) {
        Gauge gauge = meters.find(name).gauge();
        return gauge == null || Double.isNaN(gauge.value()) ? 0 : (int) gauge.value();
    }
}
