package dev.switchboard.app.generation;

import dev.switchboard.runtime.serving.RoutingCapture;
import dev.switchboard.app.model.ServedModel;
import dev.switchboard.runtime.generation.SamplingParams;
import dev.switchboard.runtime.routing.RoutingOverride;
import org.jspecify.annotations.Nullable;

/**
 * One validated generation request as the scheduler runs it.
 *
 * @param requestId the id the client sees ({@code chatcmpl-…}, {@code cmpl-…}); logs and statistics use it too
 * @param promptTokens the prompt, already fitting the context together with {@code sampling.maxTokens()}
 * @param capture routing to report with each generated token (or, when {@code prefillOnly}, each prompt token)
 * @param prefillOnly run the prompt and report its routing, generate nothing ({@code /api/route})
 * @param endpoint the route that asked, a bounded metric tag
 * @param domain the caller's {@code metadata.domain}, for routing statistics per domain
 * @param routingOverride this request's own routing ("what if"), or null; such a request is left out of the
 *     routing statistics, which describe the served model's routing
 */
record GenerationSpec(
        String requestId,
        ServedModel model,
        int[] promptTokens,
        SamplingParams sampling,
        RoutingCapture capture,
        boolean prefillOnly,
        String endpoint,
        @Nullable String domain,
        @Nullable RoutingOverride routingOverride) {

    GenerationSpec {
        if (promptTokens.length == 0) {
            throw new IllegalArgumentException("a generation needs at least one prompt token, found none");
        }
    }
}
