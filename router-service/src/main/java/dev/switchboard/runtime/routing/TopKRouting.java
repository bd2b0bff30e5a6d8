package dev.switchboard.runtime.routing;

/**
 * Token-choice top-k routing as Hugging Face Mixtral does it (docs/MOE.md#token-choice-top-k): softmax over all
 * experts in float32, pick the k most probable, renormalise the k weights when {@code normTopkProb}
 * (Mixtral) or keep the raw probabilities (Qwen-MoE, OLMoE).
 *
 * <p>For Mixtral the renormalised weights equal the paper's {@code Softmax(TopK(x·W_g))} (a softmax
 * restricted to a subset is the renormalised full softmax).
 *
 * <p>Masking: disabled experts get logit −∞ before the softmax, so their probability is 0 and the
 * remaining experts' probabilities renormalise; they can never be selected. If fewer than k experts
 * are enabled, every enabled expert is used; if none is, routing throws {@link IllegalStateException}.
 *
 * <p>Selection bias (DeepSeek-V3; docs/MOE.md#selection-bias): experts are <em>selected</em> by {@code p_e + bias_e} but their
 * weights are gathered from the <em>unbiased</em> {@code p_e}. Gathering from the biased score is a
 * known bug of copied code; {@code TopKRoutingTest} guards against it.
 *
 * <p>Ties in the selection score go to the lower expert index, so routing is deterministic.
 * Each token's experts are listed by descending selection score (first choice first).
 * Stateless and thread-safe.
 */
public final class TopKRouting implements RoutingStrategy {

    private final int topK;
    private final boolean normTopkProb;

    /**
     * @param topK experts per token ({@code num_experts_per_tok}), at least 1
     * @param normTopkProb renormalise the k weights to sum to 1 ({@code norm_topk_prob})
     */
    public TopKRouting(int topK, boolean normTopkProb) {
        if (topK < 1) {
            throw new IllegalArgumentException("top-k routing needs topK >= 1 experts per token, found " + topK);
        }
        this.topK = topK;
        this.normTopkProb = normTopkProb;
    }

    /** Mixtral: the k weights are renormalised to sum to 1. */
    public static TopKRouting renormalised(int topK) {
        return new TopKRouting(topK, true);
    }

    /** Qwen-MoE / OLMoE ({@code norm_topk_prob = false}): the k weights are the raw full-softmax probabilities. */
    public static TopKRouting rawProbabilities(int topK) {
        return new TopKRouting(topK, false);
    }

    public int topK() {
        return topK;
    }

    public boolean normTopkProb() {
        return normTopkProb;
    }

    /** How many experts each token is sent to: k, or all enabled ones when fewer; throws when none is enabled. */
    public int expertsPerToken(int numExperts, RoutingContext context) {
        return Math.min(topK, RouterMath.requireEnabledExperts(numExperts, context));
    }

    @Override
    public RoutingDecision route(float[] gateLogits, int tokens, int numExperts, RoutingContext context) {
        RouterMath.requireShape(gateLogits, tokens, numExperts, context);
        int k = expertsPerToken(numExperts, context);

        float[] probabilities = new float[tokens * numExperts];    // (tokens, numExperts)
        int[] offsets = new int[tokens + 1];
        int[] experts = new int[tokens * k];                        // (tokens, k) flattened
        float[] weights = new float[tokens * k];                    // (tokens, k) flattened
        for (int t = 0; t < tokens; t++) {
            RouterMath.maskedSoftmaxRow(gateLogits, t, numExperts, context, probabilities);
            int base = t * numExperts;
            int out = t * k;
            selectTopK(probabilities, base, numExperts, context, k, experts, out);
            double sum = 0;
            for (int i = 0; i < k; i++) {
                // Weight from the UNBIASED probability, whatever the selection score was (docs/MOE.md#selection-bias).
                weights[out + i] = probabilities[base + experts[out + i]];
                sum += weights[out + i];
            }
            if (normTopkProb && sum > 0) {
                for (int i = 0; i < k; i++) {
                    weights[out + i] = (float) (weights[out + i] / sum);
                }
            }
            offsets[t + 1] = out + k;
        }
        return new RoutingDecision(tokens, numExperts, offsets, experts, weights, probabilities, 0);
    }

    /**
     * Writes the k enabled experts with the highest {@code p_e + bias_e} to {@code selected[out..out+k)},
     * best first. k passes over the experts (k and N are small: O(k·N) without allocation); the
     * strict {@code >} while scanning upwards gives ties to the lower expert index.
     */
    private static void selectTopK(float[] probabilities, int base, int numExperts, RoutingContext context,
                                   int k, int[] selected, int out) {
        for (int i = 0; i < k; i++) {
            int best = -1;
            float bestScore = Float.NEGATIVE_INFINITY;
            for (int e = 0; e < numExperts; e++) {
                if (context.isDisabled(e) || isSelected(selected, out, i, e)) {
                    continue;
                }
                float score = probabilities[base + e] + context.bias(e);
                if (best < 0 || score > bestScore) {
                    best = e;
                    bestScore = score;
                }
            }
            selected[out + i] = best;
        }
    }

    private static boolean isSelected(int[] selected, int out, int count, int expert) {
        for (int i = 0; i < count; i++) {
            if (selected[out + i] == expert) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "TopKRouting[topK=" + topK + ", normTopkProb=" + normTopkProb + "]";
    }
}
