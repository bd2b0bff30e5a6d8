package dev.switchboard.runtime.routing;

/**
 * The routing of one layer for a batch of tokens, in CSR form: token t's experts are
 * {@code experts[offsets[t] .. offsets[t+1])}, in choice order (first choice first), with their
 * routing weights at the same positions in {@code weights}. A dropped token has no entries.
 *
 * @param tokens number of tokens
 * @param numExperts experts in the layer
 * @param offsets {@code tokens + 1} offsets into experts/weights
 * @param experts chosen expert ids
 * @param weights routing weights that multiply the experts' outputs
 * @param probabilities row-major {@code [tokens, numExperts]} full router distribution (softmax of the logits)
 * @param droppedTokens tokens that were routed but lost their expert to capacity (pass through the residual)
 */
public record RoutingDecision(
        int tokens, int numExperts, int[] offsets, int[] experts, float[] weights, float[] probabilities, int droppedTokens) {}
