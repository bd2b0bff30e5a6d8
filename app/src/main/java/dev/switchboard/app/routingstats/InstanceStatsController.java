package dev.switchboard.app.routingstats;

import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/stats/instances}: a model's requests and tokens per replica and summed over the fleet
 * ({@link FleetUsage}); {@code from}/{@code to} as every statistics route (default: the last hour).
 */
@RestController
@RequestMapping("/api/stats/instances")
class InstanceStatsController {

    private final InstanceUsageRepository instances;
    private final Clock clock;

    InstanceStatsController(InstanceUsageRepository instances, Clock clock) {
        this.instances = instances;
        this.clock = clock;
    }

    @GetMapping
    Mono<FleetUsage> instances(@RequestParam String model, @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to) {
        StatsQuery q = StatsQuery.wholeRange(from, to, clock.instant());
        return instances.instances(model, q.from(), q.to()).collectList().map(FleetUsage::of);
    }
}
