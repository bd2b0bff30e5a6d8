package dev.switchboard.app.fleet;

import java.time.Clock;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /api/admin/instances}: the replicas sharing this database, from their heartbeats (admin only,
 * like everything under {@code /api/admin}). A replica silent for longer than
 * {@code switchboard.fleet.instance-expiry} is not listed.
 */
@RestController
@RequestMapping("/api/admin/instances")
class InstancesController {

    private final ReplicaRepository replicas;
    private final FleetProperties properties;
    private final Clock clock;

    InstancesController(ReplicaRepository replicas, FleetProperties properties, Clock clock) {
        this.replicas = replicas;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping
    Mono<List<ReplicaView>> list() {
        return Mono.fromCallable(() -> replicas.live(clock.instant().minus(properties.instanceExpiry())))
                .subscribeOn(Schedulers.boundedElastic());
    }
}
