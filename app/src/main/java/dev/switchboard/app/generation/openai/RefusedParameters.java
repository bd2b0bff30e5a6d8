package dev.switchboard.app.generation.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI parameters that would change the output in ways this server does not implement. Each is accepted at
 * its no-op value (absent, null, 1, 0, false, empty, {@code "none"}, {@code {"type": "text"}}) and refused with a
 * 400 naming it otherwise, rather than silently ignored. Unwrapped at the top level of both request bodies.
 */
public record RefusedParameters(
        @Schema(description = "Only 1") @Nullable Long n,
        @JsonProperty("best_of") @Schema(description = "Only 1") @Nullable Long bestOf,
        @JsonProperty("presence_penalty") @Schema(description = "Only 0") @Nullable Double presencePenalty,
        @JsonProperty("frequency_penalty") @Schema(description = "Only 0") @Nullable Double frequencyPenalty,
        @Schema(description = NOT_IMPLEMENTED) @Nullable Object tools,
        @Schema(description = NOT_IMPLEMENTED) @Nullable Object functions,
        @JsonProperty("tool_choice") @Schema(description = NOT_IMPLEMENTED) @Nullable Object toolChoice,
        @JsonProperty("function_call") @Schema(description = NOT_IMPLEMENTED) @Nullable Object functionCall,
        @JsonProperty("logit_bias") @Schema(description = NOT_IMPLEMENTED) @Nullable Object logitBias,
        @JsonProperty("top_logprobs") @Schema(description = NOT_IMPLEMENTED) @Nullable Object topLogprobs,
        @Schema(description = "Only false or 0") @Nullable Object logprobs,
        @JsonProperty("response_format") @Nullable ResponseFormat responseFormat,
        @Schema(description = "Only false") @Nullable Boolean echo,
        @Schema(description = "Only empty") @Nullable String suffix) {

    private static final String NOT_IMPLEMENTED = "Not implemented: only absent, null, empty or \"none\"";

    public RefusedParameters {
        if (Checks.integerIn("n", n, 1, 128) != null && n != 1) {
            throw Checks.unsupported("n", "only one choice per request (n = 1)");
        }
        if (Checks.integerIn("best_of", bestOf, 1, 128) != null && bestOf != 1) {
            throw Checks.unsupported("best_of", "only best_of = 1");
        }
        if (Checks.numberIn("presence_penalty", presencePenalty, -2, false, 2, 0) != 0) {
            throw Checks.unsupported("presence_penalty", "penalties are not implemented");
        }
        if (Checks.numberIn("frequency_penalty", frequencyPenalty, -2, false, 2, 0) != 0) {
            throw Checks.unsupported("frequency_penalty", "penalties are not implemented");
        }
        String why = "tool calls, logit bias and log probabilities are not implemented";
        refuseUnlessEmpty("tools", tools, why);
        refuseUnlessEmpty("functions", functions, why);
        refuseUnlessEmpty("logit_bias", logitBias, why);
        refuseUnlessEmpty("tool_choice", toolChoice, why);
        refuseUnlessEmpty("function_call", functionCall, why);
        refuseUnlessEmpty("top_logprobs", topLogprobs, why);
        if (!(logprobs == null || Boolean.FALSE.equals(logprobs) || isIntegerZero(logprobs))) {
            throw Checks.unsupported("logprobs", "log probabilities are not implemented");
        }
        if (responseFormat != null && !"text".equals(responseFormat.type())) {
            throw Checks.unsupported("response_format", "only {\"type\": \"text\"}");
        }
        if (echo != null && echo) {
            throw Checks.unsupported("echo", "the prompt is not echoed");
        }
        if (suffix != null && !suffix.isEmpty()) {
            throw Checks.unsupported("suffix", "insertion is not implemented");
        }
    }

    private static void refuseUnlessEmpty(String field, @Nullable Object value, String why) {
        boolean empty = value == null || "none".equals(value) || (value instanceof Collection<?> list && list.isEmpty())
                || (value instanceof Map<?, ?> map && map.isEmpty());
        if (!empty) {
            throw Checks.unsupported(field, why);
        }
    }

    private static boolean isIntegerZero(Object value) {
        return (value instanceof Integer || value instanceof Long) && ((Number) value).longValue() == 0;
    }
}
