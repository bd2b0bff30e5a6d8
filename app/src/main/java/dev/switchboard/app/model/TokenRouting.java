package dev.switchboard.app.model;

import org.jspecify.annotations.Nullable;

/**
 * The routing of one token position through every MoE layer.
 *
 * @param experts {@code [layers][k]} chosen expert ids, first choice first
 * @param weights {@code [layers][k]} their routing weights
 * @param probabilities {@code [layers][numExperts]} the router's full distribution, or null unless
 *     {@link RoutingCapture#FULL} was asked for
 */
public record TokenRouting(int[][] experts, float[][] weights, float @Nullable [][] probabilities) {

    public TokenRouting {
        if (experts.length != weights.length) {
            throw new IllegalArgumentException("experts and weights must cover the same layers, found "
                    + experts.length + " and " + weights.length);
        }
    }
}
