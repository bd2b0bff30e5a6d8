package dev.switchboard.app.routingstats;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One finished completion request, as the serving layer reports it to {@link RoutingStatsRecorder#recordRequest}.
 * The id is the API's request id: writing the same request twice stores it once.
 *
 * @param id the request id (unique per request)
 * @param receivedAt when the request arrived
 * @param modelId the model that served it
 * @param promptTokens tokens in the prompt
 * @param completionTokens tokens generated
 * @param latency time from arrival to the last token
 * @param finishReason why generation stopped ({@code stop}, {@code length}, ...)
 * @param domain optional domain tag from the request's metadata or {@code user} field
 */
public record CompletedRequest(
        String id,
        Instant receivedAt,
        String modelId,
        int promptTokens,
        int completionTokens,
        Duration latency,
        String finishReason,
        @Nullable String domain) {

    public CompletedRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(finishReason, "finishReason");
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException("Token counts must be >= 0, found prompt " + promptTokens
                    + " and completion " + completionTokens + " for request " + id);
        }
    }
}
