package dev.switchboard.runtime.routing;

import java.util.Arrays;

/**
 * One sequence's counterfactual routing ("what if", docs/MOE.md#routing-override): experts it may not use,
 * another k, and a bias on its router logits. It changes the routing of that sequence's tokens only; the
 * other sequences of a batched step are routed exactly as without it (top-k routing is per token).
 *
 * <p>Applied to one layer's gate logits {@code z} of the sequence's rows, before the softmax:
 * {@code z'_e = z_e + logitBias[layer][e]}, experts masked by the override count as disabled on top of the
 * layer's own mask, and k is {@code expertsPerToken}. Unlike an expert's selection bias
 * (docs/MOE.md#selection-bias), the logit bias moves the probabilities and so the weights too.
 *
 * <p>The expert table may change while the sequence runs (experts added or removed): an index the layer no
 * longer has is ignored, a new expert has no bias and is not masked. If the override's mask and the layer's
 * own would leave no expert, the override's mask is dropped for that layer rather than failing the step
 * the other sequences share. Immutable and thread-safe.
 *
 * <p>Not to be confused with {@code ModelOptions.routingOverride()}, which replaces the routing strategy of
 * the whole model when it is loaded.
 *
 * @param expertsPerToken k for this sequence's tokens, or 0 to keep the model's
 * @param maskedExperts per layer ({@code [layers][]}, rows may be empty), the experts this sequence may not use
 * @param logitBias per layer ({@code [layers][]}, rows may be empty), a bias per expert added to the router logits
 */
public record RoutingOverride(int expertsPerToken, boolean[][] maskedExperts, float[][] logitBias) {

    public RoutingOverride {
        if (expertsPerToken < 0) {
            throw new IllegalArgumentException("expertsPerToken must be 0 (the model's k) or at least 1, found "
                    + expertsPerToken);
        }
        if (maskedExperts.length != logitBias.length) {
            throw new IllegalArgumentException("the mask and the bias need one row per layer each, found "
                    + maskedExperts.length + " and " + logitBias.length);
        }
        maskedExperts = Arrays.stream(maskedExperts).map(boolean[]::clone).toArray(boolean[][]::new);
        logitBias = Arrays.stream(logitBias).map(float[]::clone).toArray(float[][]::new);
        for (int l = 0; l < logitBias.length; l++) {
            for (int e = 0; e < logitBias[l].length; e++) {
                if (!Float.isFinite(logitBias[l][e])) {
                    throw new IllegalArgumentException("logit bias of layer " + l + " expert " + e
                            + " must be finite, found " + logitBias[l][e]);
                }
            }
        }
    }

    /** Number of layers the override describes (the model's layer count). */
    public int layers() {
        return maskedExperts.length;
    }

    /** Whether this override masks {@code expert} at {@code layer}. */
    public boolean isMasked(int layer, int expert) {
        boolean[] row = maskedExperts[layer];
        return expert < row.length && row[expert];
    }

    /** The bias this override adds to {@code expert}'s router logit at {@code layer} (0 when none). */
    public float logitBias(int layer, int expert) {
        float[] row = logitBias[layer];
        return expert < row.length ? row[expert] : 0f;
    }

    /** Whether the served model's routing can take a per-sequence override: token-choice top-k is per token. */
    public static boolean supports(RoutingStrategy served) {
        return served instanceof TopKRouting;
    }

    /**
     * Routes one layer's rows of this sequence: the served strategy with this override's k, the layer's
     * context with this override's mask added, and the logits with this override's bias added.
     *
     * @param served the model's routing; must be {@link #supports supported}
     * @param gateLogits row-major {@code [tokens, numExperts]} router logits of this sequence's rows
     * @param context the layer's own mask and selection bias, and the phase
     */
    public RoutingDecision route(RoutingStrategy served, int layer, float[] gateLogits, int tokens, int numExperts,
            RoutingContext context) {
        if (!(served instanceof TopKRouting topK)) {
            throw new IllegalArgumentException("a routing override needs token-choice top-k routing, the model uses " + served);
        }
        RoutingStrategy routing = expertsPerToken == 0 ? topK : new TopKRouting(expertsPerToken, topK.normTopkProb());
        float[] biased = gateLogits.clone(); // (tokens, numExperts)
        for (int t = 0; t < tokens; t++) {
            for (int e = 0; e < numExperts; e++) {
                biased[t * numExperts + e] += logitBias(layer, e); // z'_e = z_e + bias_e
            }
        }
        return routing.route(biased, tokens, numExperts, withMask(layer, numExperts, context));
    }

    /** The layer's mask with this override's added, or the layer's alone when together they leave no expert. */
    private RoutingContext withMask(int layer, int numExperts, RoutingContext context) {
        boolean[] disabled = new boolean[numExperts];
        boolean anyEnabled = false;
        for (int e = 0; e < numExperts; e++) {
            disabled[e] = context.isDisabled(e) || isMasked(layer, e);
            anyEnabled |= !disabled[e];
        }
        return anyEnabled ? context.withDisabled(disabled) : context;
    }
}
