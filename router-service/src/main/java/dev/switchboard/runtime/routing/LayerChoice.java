package dev.switchboard.runtime.routing;

/**
 * The routing of one token in one MoE layer, as recorded in a trace.
 *
 * @param layer layer index
 * @param experts chosen experts, first choice first (empty if the token was dropped)
 * @param weights the routing weights that multiplied those experts' outputs
 * @param probabilities the full router distribution over the layer's experts, or {@code null} when
 *     the step did not ask for the full distribution
 */
public record LayerChoice(int layer, int[] experts, float[] weights, float[] probabilities) {}
