package dev.switchboard.runtime.routing;

import java.util.Arrays;

/**
 * Expert-choice routing (Zhou et al. 2022, arXiv:2202.09368; docs/MOE.md#expert-choice):
 * {@code S = softmax(X·W_g)} per token, then each expert picks its top-c tokens,
 * {@code G, I = TopK(Sᵀ, c)}, with {@code c = ceil(tokens × capacityFactor / numExperts)} capped at tokens.
 * A token may get 0..N experts; its weight for expert e is {@code S[t,e]}. Each token's entries are
 * ordered by descending weight (ties: lower expert index). Ties between tokens for an expert's last
 * slot go to the earlier token.
 *
 * <p>Tokens picked by no expert pass through the residual only; they are reported as
 * {@link RoutingDecision#droppedTokens()}.
 *
 * <p>Needs the whole sequence at once, so it refuses {@link RoutingPhase#DECODE}: an expert cannot
 * choose among tokens that do not exist yet (the paper's "not causal" limitation).
 *
 * <p>Disabled experts get probability 0 in S and pick no tokens. A per-expert selection bias adds the
 * same constant to all of one expert's scores, so it cannot change which tokens that expert picks: it
 * is ignored here. Stateless and thread-safe.
 */
final class ExpertChoiceRouting implements RoutingStrategy {

    static final String DECODE_REFUSAL = "expert-choice routing needs the whole sequence; it cannot route "
            + "token-by-token decoding, use topk or switch";

    private final double capacityFactor;

    /** @param capacityFactor average experts per token c (the paper mostly uses 2), &gt; 0 */
    public ExpertChoiceRouting(double capacityFactor) {
        if (!(capacityFactor > 0) || Double.isInfinite(capacityFactor)) {
            throw new IllegalArgumentException("expert-choice routing needs a finite capacity factor > 0, found "
                    + capacityFactor);
        }
        this.capacityFactor = capacityFactor;
    }

    public double capacityFactor() {
        return capacityFactor;
    }

    /** Tokens each expert picks: {@code min(tokens, ceil(tokens × capacityFactor / numExperts))}. */
    public static int tokensPerExpert(int tokens, int numExperts, double capacityFactor) {
        // Same float slack as SwitchRouting.capacity: 10 × 1.1 / 1 must give 11, not 12.
        double share = (double) tokens * capacityFactor / numExperts;
        return (int) Math.min(tokens, Math.ceil(share - 1e-9));
    }

    @Override
    public RoutingDecision route(float[] gateLogits, int tokens, int numExperts, RoutingContext context) {
        if (context.phase() == RoutingPhase.DECODE) {
            throw new UnsupportedOperationException(DECODE_REFUSAL);
        }
        RouterMath.requireShape(gateLogits, tokens, numExperts, context);
        int enabled = RouterMath.requireEnabledExperts(numExperts, context);
        int c = tokensPerExpert(tokens, numExperts, capacityFactor);

        float[] probabilities = new float[tokens * numExperts];    // S: (tokens, numExperts)
        for (int t = 0; t < tokens; t++) {
            RouterMath.maskedSoftmaxRow(gateLogits, t, numExperts, context, probabilities);
        }

        // Each enabled expert picks its top-c tokens: (enabled × c) picks.
        int[] pickedToken = new int[enabled * c];
        int[] pickedExpert = new int[enabled * c];
        int[] perToken = new int[tokens];
        long[] keys = new long[tokens];
        int picks = 0;
        for (int e = 0; e < numExperts; e++) {
            if (context.isDisabled(e)) {
                continue;
            }
            for (int t = 0; t < tokens; t++) {
                keys[t] = descendingKey(probabilities[t * numExperts + e], t);
            }
            Arrays.sort(keys);
            for (int i = 0; i < c; i++) {
                int t = (int) keys[i];      // low 32 bits hold the token index
                pickedToken[picks] = t;
                pickedExpert[picks] = e;
                perToken[t]++;
                picks++;
            }
        }

        int[] offsets = new int[tokens + 1];
        int dropped = 0;
        for (int t = 0; t < tokens; t++) {
            offsets[t + 1] = offsets[t] + perToken[t];
            if (perToken[t] == 0) {
                dropped++;
            }
        }
        int[] experts = new int[picks];
        float[] weights = new float[picks];
        int[] cursor = Arrays.copyOf(offsets, tokens);
        for (int i = 0; i < picks; i++) {   // experts ascending, so each token's segment is expert-ascending
            int t = pickedToken[i];
            experts[cursor[t]] = pickedExpert[i];
            weights[cursor[t]] = probabilities[t * numExperts + pickedExpert[i]];   // G[t,e] = S[t,e]
            cursor[t]++;
        }
        for (int t = 0; t < tokens; t++) {
            sortSegmentByDescendingWeight(experts, weights, offsets[t], offsets[t + 1]);
        }
        return new RoutingDecision(tokens, numExperts, offsets, experts, weights, probabilities, dropped);
    }

    /**
     * A long whose ascending order is descending {@code probability}, then ascending {@code token}.
     * Probabilities are non-negative, and for non-negative floats the IEEE bit pattern is monotone.
     */
    private static long descendingKey(float probability, int token) {
        int bits = Float.floatToRawIntBits(probability);
        return ((long) (Integer.MAX_VALUE - bits) << 32) | token;
    }

    /** Stable insertion sort (segments hold at most numExperts entries): ties keep the lower expert first. */
    private static void sortSegmentByDescendingWeight(int[] experts, float[] weights, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            int expert = experts[i];
            float weight = weights[i];
            int j = i - 1;
            while (j >= from && weights[j] < weight) {
                experts[j + 1] = experts[j];
                weights[j + 1] = weights[j];
                j--;
            }
            experts[j + 1] = expert;
            weights[j + 1] = weight;
        }
    }

    @Override
    public String toString() {
        return "ExpertChoiceRouting[capacityFactor=" + capacityFactor + "]";
    }
}
