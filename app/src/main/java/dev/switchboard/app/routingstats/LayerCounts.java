package dev.switchboard.app.routingstats;

import java.util.Arrays;

/**
 * Immutable totals of one layer over one (closed) window, for one model and domain. Per-expert arrays
 * have {@code numExperts} entries. {@link #plus} adds two windows' totals exactly (counts are integers).
 */
record LayerCounts(
        int numExperts,
        long steps,
        long tokens,
        long dropped,
        double auxLossSum,
        double zLossSum,
        double entropySum,
        long consecutivePairs,
        long sameFirstPairs,
        long firstOrSecondPairs,
        long[] firstChoice,
        long[] anyChoice,
        double[] routerProbabilitySum) {

    LayerCounts {
        if (firstChoice.length != numExperts || anyChoice.length != numExperts || routerProbabilitySum.length != numExperts) {
            throw new IllegalArgumentException("Per-expert arrays must have " + numExperts + " entries, found "
                    + firstChoice.length + ", " + anyChoice.length + ", " + routerProbabilitySum.length);
        }
    }

    /** Expert assignments (token × chosen expert) in this window. */
    long assignments() {
        return Arrays.stream(anyChoice).sum();
    }

    /** Sum of two windows; a layer that gained experts in between is padded with zeros. */
    LayerCounts plus(LayerCounts other) {
        int n = Math.max(numExperts, other.numExperts);
        long[] first = new long[n];
        long[] any = new long[n];
        double[] prob = new double[n];
        for (LayerCounts part : new LayerCounts[] {this, other}) {
            for (int e = 0; e < part.numExperts; e++) {
                first[e] += part.firstChoice[e];
                any[e] += part.anyChoice[e];
                prob[e] += part.routerProbabilitySum[e];
            }
        }
        return new LayerCounts(n, steps + other.steps, tokens + other.tokens, dropped + other.dropped,
                auxLossSum + other.auxLossSum, zLossSum + other.zLossSum, entropySum + other.entropySum,
                consecutivePairs + other.consecutivePairs, sameFirstPairs + other.sameFirstPairs,
                firstOrSecondPairs + other.firstOrSecondPairs, first, any, prob);
    }
}
