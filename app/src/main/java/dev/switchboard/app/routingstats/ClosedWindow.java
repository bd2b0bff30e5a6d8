package dev.switchboard.app.routingstats;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A window whose totals are final: {@code [start, end)}. Two adjacent closed windows can be merged into
 * one coarser window with exactly the summed totals ({@link #merge}).
 */
record ClosedWindow(Instant start, Instant end, Map<LayerKey, LayerCounts> layers) {

    /** Rough heap cost of one layer row and of one expert row, for the buffer's memory budget. */
    static final long LAYER_ROW_BYTES = 256;
    static final long EXPERT_ROW_BYTES = 48;

    ClosedWindow {
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("A window must end after it starts, found [" + start + ", " + end + ")");
        }
        layers = Map.copyOf(layers);
    }

    /** The window length in whole seconds, rounded up (a window closed early at shutdown is shorter). */
    int seconds() {
        long millis = Duration.between(start, end).toMillis();
        return (int) ((millis + 999) / 1000);
    }

    long estimatedBytes() {
        long bytes = 0;
        for (LayerCounts counts : layers.values()) {
            bytes += LAYER_ROW_BYTES + EXPERT_ROW_BYTES * counts.numExperts();
        }
        return bytes;
    }

    long assignments() {
        return layers.values().stream().mapToLong(LayerCounts::assignments).sum();
    }

    long tokens() {
        return layers.values().stream().mapToLong(LayerCounts::tokens).sum();
    }

    /** This window and a later one as one window spanning both. */
    ClosedWindow merge(ClosedWindow later) {
        Map<LayerKey, LayerCounts> merged = new HashMap<>(layers);
        later.layers.forEach((key, counts) -> merged.merge(key, counts, LayerCounts::plus));
        Instant mergedStart = start.isBefore(later.start) ? start : later.start;
        Instant mergedEnd = end.isAfter(later.end) ? end : later.end;
        return new ClosedWindow(mergedStart, mergedEnd, merged);
    }
}
