package dev.switchboard.app.routingstats;

import dev.switchboard.app.experts.ExpertEventKind;
import dev.switchboard.app.experts.ExpertLifecycleEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The routing statistics as Micrometer meters (Prometheus names in brackets). Labels are bounded: model,
 * layer, expert, choice and record kind; never request ids or domains (user-supplied, unbounded).
 * Routing counters advance when a window closes, so they lag the live view by at most one window.
 *
 * <p>Per-expert series follow the layer's size: when a contributed expert leaves (its plugin unloads, or an admin
 * removes it) the series of the index that no longer exists are removed, and a window that closes later drops
 * its counts for that index (they are still stored in the database). Checkpoint experts keep their index, and
 * so their series, whatever happens to them.
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

    private static final List<String> PER_EXPERT = List.of("switchboard.routing.assignments", "switchboard.routing.router.probability");

    private final MeterRegistry registry;
    /** Experts per layer of a model, from the events of layers that changed size; guarded by this. */
    private final Map<Layer, Integer> layerSizes = new HashMap<>();
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

    private record Layer(String modelId, int layer) {}

    synchronized void windowClosed(ClosedWindow window) {
        window.layers().forEach((key, counts) -> {
            String layer = Integer.toString(key.layer());
            registry.counter("switchboard.routing.tokens", "model", key.modelId(), "layer", layer).increment(counts.tokens());
            registry.counter("switchboard.routing.dropped.tokens", "model", key.modelId(), "layer", layer).increment(counts.dropped());
            // Counts of an expert that left since are dropped: a series removed must not come back.
            int experts = Math.min(counts.numExperts(), layerSizes.getOrDefault(new Layer(key.modelId(), key.layer()), Integer.MAX_VALUE));
            for (int e = 0; e < experts; e++) {
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

    /**
     * Follows a layer's size through {@link ExpertEventKind#ADDED} (a contributed expert appended as the last one)
     * and {@link ExpertEventKind#REMOVED} (one left; later ones moved down, so the last index is gone), and
     * removes the per-expert series of indices that no longer exist.
     */
    synchronized void expertsChanged(ExpertLifecycleEvent event) {
        if (event.modelId() == null || event.layer() == null || event.expert() == null) {
            return;
        }
        Layer layer = new Layer(event.modelId(), event.layer());
        if (event.kind() == ExpertEventKind.ADDED) {
            layerSizes.put(layer, event.expert() + 1);
        } else if (event.kind() == ExpertEventKind.REMOVED) {
            Integer known = layerSizes.get(layer);
            int size = known != null ? known - 1 : highestIndexWithSeries(layer); // the last index is the one gone
            if (size < 0) {
                return; // neither its size nor any series known: nothing to remove
            }
            layerSizes.put(layer, size);
            for (Meter meter : perExpertMeters(layer)) {
                if (Integer.parseInt(meter.getId().getTag("expert")) >= size) {
                    registry.remove(meter);
                }
            }
        }
    }

    private int highestIndexWithSeries(Layer layer) {
        return perExpertMeters(layer).stream().mapToInt(meter -> Integer.parseInt(meter.getId().getTag("expert"))).max().orElse(-1);
    }

    private List<Meter> perExpertMeters(Layer layer) {
        return PER_EXPERT.stream()
                .flatMap(name -> registry.find(name).tag("model", layer.modelId()).tag("layer", Integer.toString(layer.layer()))
                        .meters().stream())
                .toList();
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
