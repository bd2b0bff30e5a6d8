package dev.switchboard.tools.bench;

import java.util.Arrays;

/** Median of repeated timings: robust against the other core's noise on a shared machine. */
final class Timing {

    private Timing() {}

    static double medianNanos(int repetitions, Runnable work) {
        long[] nanos = new long[repetitions];
        for (int i = 0; i < repetitions; i++) {
            long start = System.nanoTime();
            work.run();
            nanos[i] = System.nanoTime() - start;
        }
        return median(nanos);
    }

    static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
