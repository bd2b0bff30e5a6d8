package dev.switchboard.app.routingstats;

import dev.switchboard.app.routingstats.RoutingStatsRepository.ExpertEvent;
import dev.switchboard.app.routingstats.RoutingStatsRepository.ExpertUsage;
import dev.switchboard.app.routingstats.RoutingStatsRepository.TokenCount;
import dev.switchboard.app.routingstats.StatsReports.BalanceGauges;
import dev.switchboard.app.routingstats.StatsReports.ConsecutiveRates;
import dev.switchboard.app.routingstats.StatsReports.DomainDistribution;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;

/**
 * Read-only JSON views of the routing statistics under {@code /api/stats}. Every endpoint takes
 * {@code model}, and optionally {@code from}/{@code to} (ISO-8601 instants; default: the last hour) and
 * {@code bucket} (10s, 5m, 1h; default 1m). The live stream is {@link LiveStatsController}.
 */
@RestController
@RequestMapping("/api/stats")
class RoutingStatsController {

    private final RoutingStatsRepository repository;
    private final Clock clock;

    RoutingStatsController(RoutingStatsRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** Tokens per layer × expert per bucket (all domains), with each expert's share of its layer. */
    @GetMapping("/utilisation")
    Flux<ExpertUsage> utilisation(@RequestParam String model, @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to, @RequestParam(required = false) @Nullable String bucket) {
        StatsQuery q = StatsQuery.of(from, to, bucket, clock.instant());
        return repository.experts(model, q.from(), q.to(), q.bucketSeconds(), false);
    }

    /** Load-balance gauges per layer per bucket: CV of load and importance, max/mean, MaxVio, Jain, losses, drops. */
    @GetMapping("/balance")
    Flux<BalanceGauges> balance(@RequestParam String model, @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to, @RequestParam(required = false) @Nullable String bucket) {
        StatsQuery q = StatsQuery.of(from, to, bucket, clock.instant());
        return repository.experts(model, q.from(), q.to(), q.bucketSeconds(), false).collectList().map(RoutingStatsRepository::byLayer)
                .flatMapMany(experts -> repository.layers(model, q.from(), q.to(), q.bucketSeconds(), false)
                        .map(layer -> StatsReports.balance(layer,
                                RoutingStatsRepository.ofLayer(experts, layer))));
    }

    /** Per domain and layer, each expert's share of the assignments over the range (Mixtral Fig. 7). */
    @GetMapping("/domains")
    Flux<DomainDistribution> domains(@RequestParam String model, @RequestParam(required = false) @Nullable Integer layer,
            @RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to) {
        StatsQuery q = StatsQuery.wholeRange(from, to, clock.instant());
        return repository.experts(model, q.from(), q.to(), q.bucketSeconds(), true)
                .filter(u -> layer == null || u.layer() == layer)
                .collectList()
                .flatMapIterable(experts -> experts.stream()
                        .collect(Collectors.groupingBy(u -> Map.entry(u.domain(), u.layer())))
                        .entrySet().stream()
                        .map(group -> StatsReports.distribution(group.getKey().getKey(), group.getKey().getValue(), group.getValue()))
                        .sorted(Comparator.comparing(DomainDistribution::domain).thenComparingInt(DomainDistribution::layer))
                        .toList());
    }

    /** Consecutive-token same-expert rates per domain and layer with the random baselines (Mixtral Table 5). */
    @GetMapping("/consecutive")
    Flux<ConsecutiveRates> consecutive(@RequestParam String model, @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to) {
        StatsQuery q = StatsQuery.wholeRange(from, to, clock.instant());
        return repository.experts(model, q.from(), q.to(), q.bucketSeconds(), true).collectList().map(RoutingStatsRepository::byLayer)
                .flatMapMany(experts -> repository.layers(model, q.from(), q.to(), q.bucketSeconds(), true)
                        .filter(layer -> layer.consecutivePairs() > 0)
                        .map(layer -> StatsReports.consecutive(layer,
                                RoutingStatsRepository.ofLayer(experts, layer))));
    }

    /** The token texts most often routed to an expert, from the sampled traces ({@code choice=first} or {@code any}). */
    @GetMapping("/top-tokens")
    Flux<TokenCount> topTokens(@RequestParam String model, @RequestParam int layer, @RequestParam int expert,
            @RequestParam(defaultValue = "any") String choice, @RequestParam(defaultValue = "20") int limit,
            @RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to) {
        if (!List.of("any", "first").contains(choice)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'choice' must be 'any' or 'first', found '" + choice + "'");
        }
        if (limit < 1 || limit > 1000) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'limit' must be between 1 and 1000, found " + limit);
        }
        StatsQuery q = StatsQuery.wholeRange(from, to, clock.instant());
        return repository.topTokens(model, layer, expert, choice.equals("first"), q.from(), q.to(), limit);
    }

    /** Expert lifecycle events, newest first. */
    @GetMapping("/events")
    Flux<ExpertEvent> events(@RequestParam(defaultValue = "100") int limit, @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to) {
        if (limit < 1 || limit > 10_000) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'limit' must be between 1 and 10000, found " + limit);
        }
        StatsQuery q = StatsQuery.wholeRange(from, to, clock.instant());
        return repository.events(q.from(), q.to(), limit);
    }
}
