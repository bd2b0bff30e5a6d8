package dev.switchboard.app.routingstats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * The routing statistics as Micrometer meters (Prometheus names in brackets). Labels are bounded: model,
 * layer, expert, choice and record kind; never request ids or domains (user-supplied, unbounded).
 * Routing counters advance when a window closes, so they lag the live view by at most one window.
 *
 * <ul>
 *   <li>{@code switchboard_routing_assignments_total{model,layer,expert,choice="first|any"}}
 *   <li>{@code switchboard_routing_router_probability_total{model,layer,expert}} (importance, Shazeer 2017)
 *   <li>{@code switchboard_routing_tokens_total{model,layer}}, {@code switchboard_routing_dropped_tokens_total{model,layer}}
 *   <li>{@code switchboard_stats_lost_assignments_total}, {@code switchboard_stats_lost_records_total{kind}}
 *   <li>{@code switchboard_stats_merged_windows_total}, {@code switchboard_stats_write_failures_total}
 *   <li>gauges {@code switchboard_stats_buffered_windows}, {@code switchboard_stats_buffered_bytes}
 * </ul>
 */
final class RoutingStatsMetrics {

    private final MeterRegistry registry;
    private final Counter lostAssignments;
    private final Counter mergedWindows;
    private final Counter writeFailures;

    RoutingStatsMetrics(MeterRegistry registry) {
        this.registry = registry;
        lostAssignments = Counter.builder("switchboard.stats.lost.assignments")
                .description("Expert assignments that could not be stored: buffer over budget even after merging windows")
                .register(registry);
        mergedWindows = Counter.builder("switchboard.stats.merged.windows")
                .description("Buffered windows merged into coarser ones to stay within the memory budget")
                .register(registry);
        writeFailures = Counter.builder("switchboard.stats.write.failures")
                .description("Failed attempts to write routing statistics to the database")
                .register(registry);
    }

    void bindBuffer(Supplier<Number> windows, Supplier<Number> bytes) {
        Gauge.builder("switchboard.stats.buffered.windows", windows).description("Closed windows waiting to be written").register(registry);
        Gauge.builder("switchboard.stats.buffered.bytes", bytes).description("Estimated memory of closed windows waiting to be written").register(registry);
    }

    void windowClosed(ClosedWindow window) {
        window.layers().forEach((key, counts) -> {
            String layer = Integer.toString(key.layer());
            registry.counter("switchboard.routing.tokens", "model", key.modelId(), "layer", layer).increment(counts.tokens());
            registry.counter("switchboard.routing.dropped.tokens", "model", key.modelId(), "layer", layer).increment(counts.dropped());
            for (int e = 0; e < counts.numExperts(); e++) {
                String expert = Integer.toString(e);
                registry.counter("switchboard.routing.assignments", "model", key.modelId(), "layer", layer, "expert", expert, "choice", "first")
                        .increment(counts.firstChoice()[e]);
                registry.counter("switchboard.routing.assignments", "model", key.modelId(), "layer", layer, "expert", expert, "choice", "any")
                        .increment(counts.anyChoice()[e]);
                registry.counter("switchboard.routing.router.probability", "model", key.modelId(), "layer", layer, "expert", expert)
                        .increment(counts.routerProbabilitySum()[e]);
            }
        });
    }

    void lostAssignments(long assignments) {
        lostAssignments.increment(assignments);
    }

    double lostAssignmentsTotal() {
        return lostAssignments.count();
    }

    void lostRecords(String kind, long count) {
        registry.counter("switchboard.stats.lost.records", "kind", kind).increment(count);
    }

    void merged(int windows) {
        mergedWindows.increment(windows);
    }

    double mergedWindowsTotal() {
        return mergedWindows.count();
    }

    void writeFailed() {
        writeFailures.increment();
    }
}
