package dev.switchboard.app.routingstats;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The window that is currently collecting statistics. Writers enter through {@link #writers()}; the
 * flusher replaces it with a new one and then {@link #close}s it, which waits for writers still inside.
 */
final class OpenWindow {

    /** The accumulator's expert count is part of its key, so a layer that gains an expert mid-window stays exact. */
    private record AccumulatorKey(LayerKey layer, int numExperts) {}

    private final Instant start;
    private final Instant end;
    private final InFlightWriters writers = new InFlightWriters();
    private final ConcurrentHashMap<AccumulatorKey, LayerAccumulator> accumulators = new ConcurrentHashMap<>();

    OpenWindow(Instant start, Instant end) {
        this.start = start;
        this.end = end;
    }

    Instant start() {
        return start;
    }

    Instant end() {
        return end;
    }

    InFlightWriters writers() {
        return writers;
    }

    LayerAccumulator accumulator(LayerKey key, int numExperts) {
        AccumulatorKey accumulatorKey = new AccumulatorKey(key, numExperts);
        LayerAccumulator accumulator = accumulators.get(accumulatorKey); // lock-free fast path
        return accumulator != null ? accumulator : accumulators.computeIfAbsent(accumulatorKey, k -> new LayerAccumulator(numExperts));
    }

    /** Totals so far, read while writers may still add (for the live view). */
    Map<LayerKey, LayerCounts> peek() {
        Map<LayerKey, LayerCounts> totals = new HashMap<>();
        accumulators.forEach((key, accumulator) -> totals.merge(key.layer(), accumulator.snapshot(), LayerCounts::plus));
        return totals;
    }

    /**
     * Waits for the writers still inside, then returns the exact totals as a closed window ending at
     * {@code closedAt} (the planned end, or earlier when closing for shutdown). Call only after this
     * window stopped being the recorder's current one.
     */
    ClosedWindow close(Instant closedAt) {
        writers.awaitQuiescent();
        return new ClosedWindow(start, closedAt, peek());
    }
}
