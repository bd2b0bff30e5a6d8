package dev.switchboard.runtime.routing;

/** Row-wise softmax and input checks shared by the routing strategies. */
final class RouterMath {

    private RouterMath() {}

    /** Checks that the logits are a {@code [tokens, numExperts]} matrix and the context fits the layer. */
    static void requireShape(float[] gateLogits, int tokens, int numExperts, RoutingContext context) {
        if (tokens < 0 || numExperts <= 0) {
            throw new IllegalArgumentException("expected tokens >= 0 and numExperts > 0, found tokens=" + tokens
                    + " numExperts=" + numExperts);
        }
        if (gateLogits.length != tokens * numExperts) {
            throw new IllegalArgumentException("gate logits must be [tokens, numExperts] = " + tokens + "x"
                    + numExperts + " = " + tokens * numExperts + " values, found " + gateLogits.length);
        }
        context.requireExperts(numExperts);
    }

    /** Number of experts not masked by the context; throws if there is none. */
    static int requireEnabledExperts(int numExperts, RoutingContext context) {
        int enabled = 0;
        for (int e = 0; e < numExperts; e++) {
            if (!context.isDisabled(e)) {
                enabled++;
            }
        }
        if (enabled == 0) {
            throw new IllegalStateException("all " + numExperts
                    + " experts of the layer are disabled: at least one must stay enabled to route tokens");
        }
        return enabled;
    }

    /**
     * Softmax of one token's logits over the enabled experts, written to {@code probabilities} at the
     * same offset (docs/MOE.md#router-softmax, HF: softmax over all experts in float32 before top-k).
     * Disabled experts count as logit −∞, so their probability is exactly 0 and the others'
     * renormalise. Max-subtracted for stability; exp and the sum run in double, the result is
     * stored in float32.
     */
    static void maskedSoftmaxRow(float[] gateLogits, int row, int numExperts, RoutingContext context,
                                 float[] probabilities) {
        int base = row * numExperts;
        float max = Float.NEGATIVE_INFINITY;
        for (int e = 0; e < numExperts; e++) {
            float logit = gateLogits[base + e];
            if (Float.isNaN(logit) || logit == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("gate logit of token " + row + " expert " + e
                        + " must be finite or -Infinity, found " + logit);
            }
            if (!context.isDisabled(e) && logit > max) {
                max = logit;
            }
        }
        if (max == Float.NEGATIVE_INFINITY) {
            // All enabled experts have logit -inf: no preference, spread uniformly over the enabled ones.
            int enabled = requireEnabledExperts(numExperts, context);
            for (int e = 0; e < numExperts; e++) {
                probabilities[base + e] = context.isDisabled(e) ? 0f : 1f / enabled;
            }
            return;
        }
        double sum = 0;
        for (int e = 0; e < numExperts; e++) {
            if (!context.isDisabled(e)) {
                sum += Math.exp((double) gateLogits[base + e] - max);
            }
        }
        for (int e = 0; e < numExperts; e++) {
            probabilities[base + e] = context.isDisabled(e)
                    ? 0f
                    : (float) (Math.exp((double) gateLogits[base + e] - max) / sum);
        }
    }
}
