package dev.switchboard.runtime.routing;

import java.util.List;

/**
 * The routing of one new token through every MoE layer.
 *
 * @param position the token's position in its sequence
 * @param tokenId the token
 * @param layers one entry per layer, in layer order
 */
public record TokenTrace(int position, int tokenId, List<LayerChoice> layers) {

    public TokenTrace {
        layers = List.copyOf(layers);
    }

    /** {@code [layers][k]}: per layer the chosen experts, first choice first. */
    public int[][] experts() {
        int[][] experts = new int[layers.size()][];
        for (int l = 0; l < experts.length; l++) {
            experts[l] = layers.get(l).experts();
        }
        return experts;
    }

    /** {@code [layers][k]}: per layer the routing weights of {@link #experts()}. */
    public float[][] weights() {
        float[][] weights = new float[layers.size()][];
        for (int l = 0; l < weights.length; l++) {
            weights[l] = layers.get(l).weights();
        }
        return weights;
    }

    /** {@code [layers][numExperts]}: per layer the router's full distribution, or null when it was not recorded. */
    public float[][] probabilities() {
        if (layers.isEmpty() || layers.get(0).probabilities() == null) {
            return null;
        }
        float[][] probabilities = new float[layers.size()][];
        for (int l = 0; l < probabilities.length; l++) {
            probabilities[l] = layers.get(l).probabilities();
        }
        return probabilities;
    }
}
