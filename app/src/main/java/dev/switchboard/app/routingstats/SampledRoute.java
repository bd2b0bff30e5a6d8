package dev.switchboard.app.routingstats;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The routing of one token at one layer, kept for a sample of requests
 * (see {@link RoutingStatsRecorder#shouldTrace(String)}).
 *
 * @param requestId the request the token belongs to
 * @param tracedAt when the token was routed
 * @param modelId the model
 * @param domain optional domain tag of the request
 * @param position token position in the sequence (prompt and completion counted together)
 * @param tokenText the token's text
 * @param layer the MoE layer
 * @param experts the chosen experts in choice order (first choice first); empty for a dropped token
 * @param weights the routing weights at the same positions as {@code experts}
 */
public record SampledRoute(
        String requestId,
        Instant tracedAt,
        String modelId,
        @Nullable String domain,
        int position,
        String tokenText,
        int layer,
        int[] experts,
        float[] weights) {

    public SampledRoute {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(tracedAt, "tracedAt");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(tokenText, "tokenText");
        if (experts.length != weights.length) {
            throw new IllegalArgumentException("A token trace needs one weight per expert, found " + experts.length
                    + " experts and " + weights.length + " weights (request " + requestId + ", layer " + layer + ")");
        }
    }
}
