package dev.switchboard.runtime.routing;

/**
 * Per-layer routing statistics of one forward step: loads, the Switch and HF load-balancing losses,
 * the ST-MoE z-loss and the router entropy. Runs on every decode step, so it is plain loops over
 * the arrays with no allocation beyond the result arrays.
 */
public final class RouterStatistics {

    private RouterStatistics() {}

    /**
     * @param layer layer index, copied into the result
     * @param gateLogits row-major {@code [tokens, numExperts]} raw router logits (for the z-loss)
     * @param decision the routing of those logits (loads, probabilities, drops)
     * @return the layer's stats; all sums and losses are 0 for an empty batch
     */
    public static LayerRoutingStats compute(int layer, float[] gateLogits, RoutingDecision decision) {
        return compute(layer, gateLogits, decision, 0, decision.tokens());
    }

    /**
     * The same over the tokens {@code [fromToken, toToken)} of the decision only: the statistics of one
     * sequence (or one group of sequences) of a batched step, so they can be attributed per request domain.
     */
    public static LayerRoutingStats compute(int layer, float[] gateLogits, RoutingDecision decision, int fromToken, int toToken) {
        int numExperts = decision.numExperts();
        if (gateLogits.length != decision.tokens() * numExperts) {
            throw new IllegalArgumentException("gate logits must be [tokens, numExperts] = " + decision.tokens() + "x"
                    + numExperts + " like the decision, found " + gateLogits.length + " values");
        }
        if (!decision.hasProbabilities()) {
            throw new IllegalArgumentException("the decision's probabilities stayed on the device: use the sums"
                    + " computed there (fromSums)");
        }
        requireRange(decision, fromToken, toToken);
        double[] probabilitySum = new double[numExperts];
        float[] probabilities = decision.probabilities();
        double entropySum = 0;
        double zSum = 0;
        for (int t = fromToken; t < toToken; t++) {
            int base = t * numExperts;
            for (int e = 0; e < numExperts; e++) {
                double p = probabilities[base + e];
                probabilitySum[e] += p;
                if (p > 0) {
                    entropySum -= p * Math.log(p);      // H = −Σ p ln p, with 0 · ln 0 = 0
                }
            }
            double lse = logSumExp(gateLogits, base, numExperts);
            zSum += lse * lse;
        }
        return fromSums(layer, decision, fromToken, toToken, probabilitySum, entropySum, zSum);
    }

    /**
     * The same statistics from sums over the tokens {@code [fromToken, toToken)} made elsewhere (on the model's
     * device, docs/adr/0008-routing-decisions-on-the-device.md): the loads come from the decision's experts, the rest
     * from the sums.
     *
     * @param probabilitySum per expert, Σ over the tokens of its router probability
     * @param entropySum Σ over the tokens of the router distribution's entropy (nats)
     * @param zSum Σ over the tokens of logsumexp(raw logits)²
     */
    public static LayerRoutingStats fromSums(int layer, RoutingDecision decision, int fromToken, int toToken,
            double[] probabilitySum, double entropySum, double zSum) {
        requireRange(decision, fromToken, toToken);
        int numExperts = decision.numExperts();
        if (probabilitySum.length != numExperts) {
            throw new IllegalArgumentException("probability sums must have one entry per expert (" + numExperts
                    + "), found " + probabilitySum.length);
        }
        int tokens = toToken - fromToken;
        long[] firstChoice = new long[numExperts];
        long[] anyChoice = new long[numExperts];
        int[] offsets = decision.offsets();
        int[] experts = decision.experts();
        int dropped = 0; // tokens left without an expert (capacity, or picked by no expert under expert-choice)
        for (int t = fromToken; t < toToken; t++) {
            if (offsets[t + 1] == offsets[t]) {
                dropped++;
            }
            if (offsets[t + 1] > offsets[t]) {
                firstChoice[experts[offsets[t]]]++;
            }
            for (int i = offsets[t]; i < offsets[t + 1]; i++) {
                anyChoice[experts[i]]++;
            }
        }
        if (tokens == 0) {
            return new LayerRoutingStats(layer, 0, firstChoice, anyChoice, probabilitySum, dropped, 0, 0, 0);
        }
        if (dropped > 0 && !decision.hasProbabilities()) {
            throw new IllegalArgumentException("the aux loss of dropped tokens needs their probability rows on the host");
        }
        double auxLoss = switchAuxLoss(decision, fromToken, toToken, firstChoice, probabilitySum);
        return new LayerRoutingStats(layer, tokens, firstChoice, anyChoice, probabilitySum,
                dropped, auxLoss, zSum / tokens, entropySum / tokens);
    }

    private static void requireRange(RoutingDecision decision, int fromToken, int toToken) {
        if (fromToken < 0 || toToken > decision.tokens() || fromToken > toToken) {
            throw new IllegalArgumentException("token range [" + fromToken + ", " + toToken + ") outside the decision's "
                    + decision.tokens() + " tokens");
        }
    }

    /**
     * Switch Transformer load-balancing loss (Fedus et al. 2021, eq. 4; docs/MOE.md#switch-load-balancing-loss), without α:
     * {@code N · Σ_i f_i · P_i}, {@code f_i} = fraction of tokens whose router argmax is expert i,
     * {@code P_i} = mean router probability of expert i. 1 at uniform routing.
     * A token dropped for capacity (no entries) still counts in {@code f} for its argmax expert,
     * because Switch computes {@code f} from the router's choice before capacity is applied.
     */
    private static double switchAuxLoss(RoutingDecision decision, int fromToken, int toToken, long[] firstChoice,
            double[] probabilitySum) {
        int tokens = toToken - fromToken;
        int numExperts = decision.numExperts();
        double dot = 0;
        for (int e = 0; e < numExperts; e++) {
            dot += firstChoice[e] * probabilitySum[e];
        }
        for (int t = fromToken; t < toToken; t++) {
            if (decision.expertCount(t) == 0) {
                dot += probabilitySum[decision.mostProbableExpert(t)];
            }
        }
        // N · Σ (count_i / T) · (sum_i / T)
        return numExperts * dot / ((double) tokens * tokens);
    }

    /**
     * Hugging Face's {@code load_balancing_loss_func} (modeling_mixtral.py; docs/MOE.md#hf-load-balancing-loss) for one
     * layer: {@code N · Σ_i tokens_per_expert_i · router_prob_i} where {@code tokens_per_expert} is the
     * mean of the one-hot top-k selections summed over the k ranks (= anyChoice_i / T, as a token's
     * k experts are distinct) and {@code router_prob_i} = P_i. Its minimum is k, not 1, at uniform
     * routing with top-k; for top-1 it equals the Switch loss when no token is dropped.
     */
    public static double hfLoadBalancingLoss(LayerRoutingStats stats) {
        int tokens = stats.tokens();
        if (tokens == 0) {
            return 0;
        }
        int numExperts = stats.anyChoice().length;
        double dot = 0;
        for (int e = 0; e < numExperts; e++) {
            dot += stats.anyChoice()[e] * stats.routerProbabilitySum()[e];
        }
        return numExperts * dot / ((double) tokens * tokens);
    }

    /** Stable {@code log Σ_j exp(x_j)} of one row, in double. */
    private static double logSumExp(float[] logits, int base, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, logits[base + j]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += Math.exp(logits[base + j] - max);
        }
        return max + Math.log(sum);
    }
}
