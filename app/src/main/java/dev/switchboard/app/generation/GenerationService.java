package dev.switchboard.app.generation;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.generation.openai.GenerationParameters;
import dev.switchboard.runtime.serving.RoutingCapture;
import dev.switchboard.app.model.ServedModel;
import dev.switchboard.runtime.generation.SamplingParams;
import dev.switchboard.runtime.routing.RoutingOverride;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Checks a parsed request against the model's context and hands it to the scheduler. */
@Component
class GenerationService {

    private final GenerationScheduler scheduler;
    private final ServingProperties limits;

    GenerationService(GenerationScheduler scheduler, ServingProperties limits) {
        this.scheduler = scheduler;
        this.limits = limits;
    }

    /**
     * @param requestId the response's id, so that the stored request carries the id the client saw
     * @param defaultMaxTokens the endpoint's default length when the request sets none (16 for completions)
     * @param promptParam the parameter named in a context error ({@code messages} or {@code prompt})
     */
    GenerationJob start(String requestId, ServedModel model, int[] prompt, GenerationParameters request, Integer defaultMaxTokens,
            String promptParam, String endpoint, @Nullable RoutingOverride routingOverride) {
        int context = model.shape().contextLength();
        int room = context - prompt.length;
        int maxTokens = request.lengthLimit() != null
                ? request.lengthLimit()
                : Math.min(defaultMaxTokens == null ? limits.defaultMaxTokens() : defaultMaxTokens, room);
        // In long: a max_tokens near Integer.MAX_VALUE must not wrap the sum below the context and pass.
        long requested = (long) prompt.length + Math.max(maxTokens, 1);
        if (maxTokens < 1 || requested > context) {
            throw ApiException.invalid(promptParam, "context_length_exceeded", "This model's maximum context length is "
                    + context + " tokens. However, you requested " + requested + " tokens ("
                    + prompt.length + " in the " + promptParam + ", " + Math.max(maxTokens, 1) + " in the completion). "
                    + "Please reduce the length of the " + promptParam + " or completion.");
        }
        SamplingParams sampling = new SamplingParams(request.temperature(), 0, request.topP(), request.seed(), maxTokens,
                request.stop());
        RoutingCapture capture = request.routing() ? RoutingCapture.SELECTED : RoutingCapture.NONE;
        return scheduler.submit(new GenerationSpec(requestId, model, prompt, sampling, capture, false, endpoint, request.domain(),
                routingOverride));
    }

    /** A prefill-only job that reports the full routing of every prompt position. */
    GenerationJob trace(ServedModel model, int[] prompt, String endpoint, @Nullable RoutingOverride routingOverride) {
        int context = model.shape().contextLength();
        if (prompt.length > context) {
            throw ApiException.invalid("input", "context_length_exceeded", "This model's maximum context length is "
                    + context + " tokens. However, the input has " + prompt.length + " tokens.");
        }
        return scheduler.submit(new GenerationSpec(ResponseIds.newId("route-"), model, prompt, SamplingParams.greedy(1), RoutingCapture.FULL, true,
                endpoint, null, routingOverride));
    }
}
