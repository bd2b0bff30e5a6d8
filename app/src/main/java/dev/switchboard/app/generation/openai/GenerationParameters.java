package dev.switchboard.app.generation.openai;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.app.errors.InvalidParameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The parameters chat and text completions share, at the top level of both request bodies (unwrapped into
 * {@link ChatCompletionRequest} and {@link CompletionRequest}) and checked while they are bound. JSON
 * {@code null} and an absent field both mean "not set", so {@code "max_tokens": null} takes the default
 * (vLLM #19862 was a 500). Unknown fields ({@code store}, {@code service_tier}, ...) are ignored.
 *
 * <p>A new optional parameter is one more component here: its {@code @JsonProperty} name, its type (Jackson
 * refuses a value of another JSON type with a 400 naming the field), its check in the constructor, and its use
 * where {@code GenerationService} builds the job.
 *
 * @param maxCompletionTokens {@code max_completion_tokens}, else {@code max_tokens}; null for the endpoint's default
 * @param temperature 1 when not set
 * @param topP 1 when not set
 * @param stop never null: no stop strings when not set
 * @param stream false when not set
 * @param routing the Switchboard extension {@code "routing": true}: per-token {@code routed_experts}; false when not set
 * @param routingOverride the Switchboard extension {@code routing_override} ("what if"), bound strictly by
 *     {@link RoutingOverrideRequest.Binding} (so its 400s name the exact part) and checked against the caller and the
 *     model where the request is prepared; null when not set
 */
public record GenerationParameters(
        @Schema(description = "The served model's id (GET /v1/models)", requiredMode = RequiredMode.REQUIRED)
        String model,
        @JsonProperty("max_completion_tokens")
        @Schema(description = "Tokens to generate at most, ≥ 1; wins over max_tokens. Default: 16 for /v1/completions, "
                + "for chat the rest of the context capped by switchboard.serving.default-max-tokens")
        @Nullable Long maxCompletionTokens,
        @JsonProperty("max_tokens")
        @Schema(description = "The older name of max_completion_tokens")
        @Nullable Long maxTokens,
        @Schema(description = "0–2, default 1; 0 is greedy") @Nullable Double temperature,
        @JsonProperty("top_p") @Schema(description = "(0, 1], default 1") @Nullable Double topP,
        @Schema(description = "Same seed, same request: same output") @Nullable Long seed,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        @Schema(description = "A string or a list of up to 4 non-empty strings; generation ends at the first, which is "
                + "not emitted", types = {"string", "array"}, oneOf = {String.class, String[].class})
        @Nullable List<String> stop,
        @Schema(description = "Answer as server-sent events") @Nullable Boolean stream,
        @JsonProperty("stream_options") @Nullable StreamOptions streamOptions,
        @Schema(description = "Switchboard extension: add routed_experts and routed_weights ([tokens][layers][k]) to "
                + "each choice") @Nullable Boolean routing,
        @Schema(description = "The label routing statistics are grouped by when metadata.domain is not set")
        @Nullable String user,
        @Schema(description = "String values; metadata.domain labels the routing statistics")
        @Nullable Map<String, String> metadata,
        @JsonProperty(RoutingOverrideRequest.PARAM)
        @JsonDeserialize(using = RoutingOverrideRequest.Binding.class)
        @Nullable RoutingOverrideRequest routingOverride) {

    public GenerationParameters {
        if (model == null) {
            throw InvalidParameter.missing("model");
        }
        maxCompletionTokens = maxCompletionTokens != null
                ? Checks.integerIn("max_completion_tokens", maxCompletionTokens, 1, Integer.MAX_VALUE)
                : Checks.integerIn("max_tokens", maxTokens, 1, Integer.MAX_VALUE);
        temperature = Checks.numberIn("temperature", temperature, 0, false, 2, 1.0);
        topP = Checks.numberIn("top_p", topP, 0, true, 1, 1.0);
        stop = stopSequences(stop);
        stream = stream != null && stream;
        if (streamOptions != null && !stream) {
            throw InvalidParameter.of("stream_options", "is only allowed when 'stream' is true");
        }
        routing = routing != null && routing;
        if (metadata != null) {
            metadata.forEach((key, value) -> {
                if (value == null) {
                    throw InvalidParameter.of("metadata", "values must be strings; '" + key + "' is not");
                }
            });
        }
    }

    /** {@code stream_options.include_usage}: end the stream with a usage chunk. */
    public boolean includeUsage() {
        return streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage());
    }

    /** {@code metadata.domain}, else {@code user}: the label routing statistics are grouped by. */
    public @Nullable String domain() {
        String domain = metadata == null ? null : metadata.get("domain");
        return domain != null ? domain : user;
    }

    /** {@code max_completion_tokens} (else {@code max_tokens}) as an int, or null for the endpoint's default. */
    public @Nullable Integer lengthLimit() {
        return maxCompletionTokens == null ? null : maxCompletionTokens.intValue();
    }

    private static List<String> stopSequences(@Nullable List<String> stop) {
        if (stop == null) {
            return List.of();
        }
        if (stop.size() > 4) {
            throw InvalidParameter.of("stop", "must be a string or a list of at most 4 strings");
        }
        if (stop.contains(null)) {
            throw InvalidParameter.of("stop", "must be a string or a list of strings, found null in the list");
        }
        if (stop.stream().anyMatch(String::isEmpty)) {
            throw InvalidParameter.of("stop", "strings must not be empty");
        }
        return List.copyOf(stop);
    }
}
