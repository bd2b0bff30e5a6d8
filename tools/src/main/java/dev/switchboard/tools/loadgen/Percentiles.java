package dev.switchboard.tools.loadgen;

import java.util.Arrays;

/** Nearest-rank percentiles over a sample of durations (nanoseconds), sorted once. */
final class Percentiles {

    private final long[] sorted;

    Percentiles(long[] values) {
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    int count() {
        return sorted.length;
    }

    /**
     * The smallest value with at least {@code p} percent of the sample at or below it (nearest rank:
     * index {@code ceil(p/100 · n) - 1}); NaN for an empty sample.
     */
    double at(double p) {
        if (p <= 0 || p > 100) throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        if (sorted.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
