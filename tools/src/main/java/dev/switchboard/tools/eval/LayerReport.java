package dev.switchboard.tools.eval;

import java.util.List;

/**
 * What {@code eval} measured at one MoE layer over a set of held-out tokens.
 *
 * @param load per expert: tokens that had it among their choices (any rank)
 * @param firstChoice per expert: tokens whose first choice it was
 * @param importance per expert: summed router probability
 * @param topTokens per expert: the token pieces most often routed to it (any rank), most frequent first; empty when not asked
 */
public record LayerReport(int layer, int numExperts, int topK, long tokens, long[] load, long[] firstChoice, double[] importance,
        Balance balance, Consecutive consecutive, List<List<TokenCount>> topTokens) {

    /** The statistics API's balance gauges (docs/MOE.md#balance-metrics), same names and formulas. */
    public record Balance(double cvLoad, double cvImportance, double maxMeanLoad, double maxVio, double jainIndex,
            double deadExpertFraction, double loadDiversity, double routerPerplexityRatio, double dropRate,
            double auxLoss, double zLoss) {}

    /** Consecutive tokens routed alike (docs/MOE.md#consecutive-tokens) with the random-routing baselines. */
    public record Consecutive(long pairs, double sameFirstRate, double firstOrSecondRate, double randomSameFirstRate,
            double randomFirstOrSecondRate) {}

    public record TokenCount(String token, long count) {}
}
