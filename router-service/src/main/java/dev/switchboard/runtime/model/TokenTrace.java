package dev.switchboard.runtime.model;

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
}
