package dev.switchboard.runtime.routing;

import java.util.List;

/**
 * The routing of one layer for a batch of tokens, in CSR form: token t's experts are
 * {@code experts[offsets[t] .. offsets[t+1])}, in choice order (first choice first), with their
 * routing weights at the same positions in {@code weights}. A dropped token has no entries.
 *
 * <p>The compact constructor checks the CSR shape (O(tokens), cheap enough for every decode step).
 *
 * @param tokens number of tokens
 * @param numExperts experts in the layer
 * @param offsets {@code tokens + 1} offsets into experts/weights
 * @param experts chosen expert ids
 * @param weights routing weights that multiply the experts' outputs
 * @param probabilities row-major {@code [tokens, numExperts]} full router distribution (softmax of the
 *     logits; disabled experts have probability 0), or empty when the routing ran on the model's device and the
 *     rows stayed there ({@link #hasProbabilities()}; docs/adr/0008-routing-decisions-on-the-device.md)
 * @param droppedTokens tokens that were routed but lost their expert to capacity (pass through the residual)
 */
public record RoutingDecision(
        int tokens, int numExperts, int[] offsets, int[] experts, float[] weights, float[] probabilities, int droppedTokens) {

    public RoutingDecision {
        if (tokens < 0 || numExperts <= 0) {
            throw new IllegalArgumentException("expected tokens >= 0 and numExperts > 0, found tokens=" + tokens
                    + " numExperts=" + numExperts);
        }
        if (offsets.length != tokens + 1 || offsets[0] != 0) {
            throw new IllegalArgumentException("offsets must have tokens + 1 = " + (tokens + 1)
                    + " entries starting at 0, found " + offsets.length + " entries");
        }
        for (int t = 0; t < tokens; t++) {
            if (offsets[t + 1] < offsets[t]) {
                throw new IllegalArgumentException("offsets must not decrease, found offsets[" + t + "]="
                        + offsets[t] + " > offsets[" + (t + 1) + "]=" + offsets[t + 1]);
            }
        }
        if (experts.length != offsets[tokens] || weights.length != offsets[tokens]) {
            throw new IllegalArgumentException("experts and weights must have offsets[tokens] = " + offsets[tokens]
                    + " entries, found " + experts.length + " and " + weights.length);
        }
        if (probabilities.length != tokens * numExperts && probabilities.length != 0) {
            throw new IllegalArgumentException("probabilities must be [tokens, numExperts] = " + tokens + "x"
                    + numExperts + " (or empty when they stayed on the device), found " + probabilities.length
                    + " values");
        }
        if (droppedTokens < 0 || droppedTokens > tokens) {
            throw new IllegalArgumentException("droppedTokens must be in [0, " + tokens + "], found " + droppedTokens);
        }
    }

    /**
     * The decisions of consecutive row ranges of one layer, stacked into the decision of all their rows in order
     * (a batch whose sequences were routed in parts: {@link RoutingOverride}).
     */
    public static RoutingDecision stack(List<RoutingDecision> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("stacking needs at least one decision, found none");
        }
        int numExperts = parts.get(0).numExperts();
        int tokens = 0;
        int entries = 0;
        int dropped = 0;
        for (RoutingDecision part : parts) {
            if (part.numExperts() != numExperts) {
                throw new IllegalArgumentException("stacked decisions must route over the same " + numExperts
                        + " experts, found one over " + part.numExperts());
            }
            tokens += part.tokens();
            entries += part.experts().length;
            dropped += part.droppedTokens();
        }
        int[] offsets = new int[tokens + 1];
        int[] experts = new int[entries];
        float[] weights = new float[entries];
        boolean full = parts.stream().allMatch(RoutingDecision::hasProbabilities);
        float[] probabilities = new float[full ? tokens * numExperts : 0];
        int row = 0;
        int entry = 0;
        for (RoutingDecision part : parts) {
            for (int t = 0; t < part.tokens(); t++) {
                offsets[row + t + 1] = entry + part.offsets()[t + 1];
            }
            System.arraycopy(part.experts(), 0, experts, entry, part.experts().length);
            System.arraycopy(part.weights(), 0, weights, entry, part.weights().length);
            if (full) {
                System.arraycopy(part.probabilities(), 0, probabilities, row * numExperts, part.probabilities().length);
            }
            row += part.tokens();
            entry += part.experts().length;
        }
        return new RoutingDecision(tokens, numExperts, offsets, experts, weights, probabilities, dropped);
    }

    /** Whether {@link #probabilities()} holds every token's row (false when the routing ran on the device). */
    public boolean hasProbabilities() {
        return probabilities.length == tokens * numExperts;
    }

    /** The expert with the highest router probability for {@code token}, ties to the lower index (needs the rows). */
    public int mostProbableExpert(int token) {
        int base = token * numExperts;
        int best = 0;
        for (int e = 1; e < numExperts; e++) {
            if (probabilities[base + e] > probabilities[base + best]) {
                best = e;
            }
        }
        return best;
    }

    /** Number of experts token {@code token} was sent to (0 if dropped). */
    public int expertCount(int token) {
        return offsets[token + 1] - offsets[token];
    }
}
