package dev.switchboard.runtime.routing;

import java.util.Arrays;

/**
 * Switch Transformer top-1 routing with expert capacity (Fedus et al. 2021; docs/MOE.md#switch-top-1):
 * {@code p = softmax(logits)}, {@code j = argmax p}, {@code y = p_j · E_j(x)} — the weight is the
 * unnormalised probability {@code p_j}, not 1.
 *
 * <p>Capacity: {@code ceil(tokens / numExperts × capacityFactor)}, at least 1. The paper's code
 * truncates ({@code int(...)}); we round up so that a perfectly uniform batch never drops a token at
 * capacity factor 1.0 and a single decode token is never dropped. {@code numExperts} counts all
 * experts of the layer, disabled ones included (disabling an expert does not raise the others' capacity).
 *
 * <p>Tokens are served in order; a token whose expert is already full is <em>dropped</em>: it gets
 * no entries in the decision (it passes through the residual connection) and is counted in
 * {@link RoutingDecision#droppedTokens()}.
 *
 * <p>Masking and selection bias work as in {@link TopKRouting}: disabled experts get probability 0,
 * the argmax is taken over {@code p_e + bias_e}, the weight is the unbiased {@code p_j}.
 * Ties go to the lower expert index. Stateless and thread-safe.
 */
public final class SwitchRouting implements RoutingStrategy {

    /** Slack for float error in {@code tokens × factor / experts} (e.g. 10 × 1.1 / 1 = 11.000000000000002). */
    private static final double CAPACITY_EPSILON = 1e-9;

    private final double capacityFactor;

    /** @param capacityFactor multiple of the even share each expert may take, &gt; 0 (Switch uses 1.0–2.0) */
    public SwitchRouting(double capacityFactor) {
        if (!(capacityFactor > 0) || Double.isInfinite(capacityFactor)) {
            throw new IllegalArgumentException("switch routing needs a finite capacity factor > 0, found "
                    + capacityFactor);
        }
        this.capacityFactor = capacityFactor;
    }

    public double capacityFactor() {
        return capacityFactor;
    }

    /** Tokens each expert may take: {@code max(1, ceil(tokens / numExperts × capacityFactor))}. */
    public static int capacity(int tokens, int numExperts, double capacityFactor) {
        double share = (double) tokens * capacityFactor / numExperts;
        return (int) Math.max(1, Math.ceil(share - CAPACITY_EPSILON));
    }

    @Override
    public RoutingDecision route(float[] gateLogits, int tokens, int numExperts, RoutingContext context) {
        RouterMath.requireShape(gateLogits, tokens, numExperts, context);
        RouterMath.requireEnabledExperts(numExperts, context);
        int capacity = capacity(tokens, numExperts, capacityFactor);

        float[] probabilities = new float[tokens * numExperts];    // (tokens, numExperts)
        int[] load = new int[numExperts];                           // tokens taken per expert so far
        int[] offsets = new int[tokens + 1];
        int[] chosen = new int[tokens];                             // at most one expert per token
        float[] chosenWeight = new float[tokens];
        int entries = 0;
        int dropped = 0;
        for (int t = 0; t < tokens; t++) {
            RouterMath.maskedSoftmaxRow(gateLogits, t, numExperts, context, probabilities);
            int base = t * numExperts;
            int j = argmaxEnabled(probabilities, base, numExperts, context);
            if (load[j] < capacity) {
                load[j]++;
                chosen[entries] = j;
                chosenWeight[entries] = probabilities[base + j];    // y = p_j · E_j(x)
                entries++;
            } else {
                dropped++;
            }
            offsets[t + 1] = entries;
        }
        int[] experts = Arrays.copyOf(chosen, entries);
        float[] weights = Arrays.copyOf(chosenWeight, entries);
        return new RoutingDecision(tokens, numExperts, offsets, experts, weights, probabilities, dropped);
    }

    private static int argmaxEnabled(float[] probabilities, int base, int numExperts, RoutingContext context) {
        int best = -1;
        float bestScore = Float.NEGATIVE_INFINITY;
        for (int e = 0; e < numExperts; e++) {
            if (context.isDisabled(e)) {
                continue;
            }
            float score = probabilities[base + e] + context.bias(e);
            if (best < 0 || score > bestScore) {
                best = e;
                bestScore = score;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "SwitchRouting[capacityFactor=" + capacityFactor + "]";
    }
}
