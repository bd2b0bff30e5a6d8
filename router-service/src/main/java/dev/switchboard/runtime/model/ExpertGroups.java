package dev.switchboard.runtime.model;

import dev.switchboard.runtime.routing.RoutingDecision;

/**
 * A routing decision regrouped by expert (a counting sort over the CSR): expert e's tokens, in
 * ascending order, and the routing weight each of them gives e.
 */
final class ExpertGroups {

    private final int[] starts; // (numExperts + 1)
    private final int[] tokens; // (assignments) grouped by expert
    private final float[] weights; // (assignments) aligned with tokens

    private ExpertGroups(int[] starts, int[] tokens, float[] weights) {
        this.starts = starts;
        this.tokens = tokens;
        this.weights = weights;
    }

    static ExpertGroups of(RoutingDecision decision) {
        int numExperts = decision.numExperts();
        int[] experts = decision.experts();
        int[] starts = new int[numExperts + 1];
        for (int expert : experts) {
            starts[expert + 1]++;
        }
        for (int e = 0; e < numExperts; e++) {
            starts[e + 1] += starts[e];
        }
        int[] next = starts.clone();
        int[] tokens = new int[experts.length];
        float[] weights = new float[experts.length];
        int[] offsets = decision.offsets();
        for (int t = 0; t < decision.tokens(); t++) {
            for (int a = offsets[t]; a < offsets[t + 1]; a++) {
                int slot = next[experts[a]]++;
                tokens[slot] = t;
                weights[slot] = decision.weights()[a];
            }
        }
        return new ExpertGroups(starts, tokens, weights);
    }

    /** Tokens routed to expert {@code e}. */
    int count(int e) {
        return starts[e + 1] - starts[e];
    }

    /** Whether expert {@code e} received exactly tokens {@code 0 .. total-1} (no gather/scatter needed). */
    boolean coversAll(int e, int total) {
        return count(e) == total; // tokens are distinct and ascending, so this means 0 .. total-1
    }

    long[] tokens(int e) {
        long[] out = new long[count(e)];
        for (int i = 0; i < out.length; i++) {
            out[i] = tokens[starts[e] + i];
        }
        return out;
    }

    float[] weights(int e) {
        float[] out = new float[count(e)];
        System.arraycopy(weights, starts[e], out, 0, out.length);
        return out;
    }
}
