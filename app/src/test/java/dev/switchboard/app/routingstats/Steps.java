package dev.switchboard.app.routingstats;

import dev.switchboard.runtime.routing.LayerRoutingStats;

/** Builds {@link LayerRoutingStats} from explicit per-token choices, the way the runtime counts them. */
final class Steps {

    static final double AUX = 1.25;
    static final double Z_LOSS = 0.5;
    static final double ENTROPY = 1.0;

    private Steps() {}

    /**
     * @param choices one row per routed token: its experts in choice order
     * @param dropped tokens that were routed but lost their expert to capacity (no choices)
     */
    static LayerRoutingStats step(int layer, int numExperts, int[][] choices, int dropped) {
        long[] first = new long[numExperts];
        long[] any = new long[numExperts];
        double[] prob = new double[numExperts];
        int tokens = choices.length + dropped;
        for (int[] token : choices) {
            first[token[0]]++;
            for (int e : token) any[e]++;
        }
        for (int e = 0; e < numExperts; e++) prob[e] = tokens * 0.25; // each token: probability 0.25 on every expert
        return new LayerRoutingStats(layer, tokens, first, any, prob, dropped, AUX, Z_LOSS, ENTROPY);
    }
}
