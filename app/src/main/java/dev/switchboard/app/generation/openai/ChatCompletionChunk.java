package dev.switchboard.app.generation.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One server-sent event of a streamed chat completion. Every chunk of a stream has the same {@code id} and
 * {@code created}.
 *
 * @param usage absent without {@code stream_options.include_usage}; with it {@code null} (Optional.empty) in
 *     every chunk but the last, which has no choices and the totals
 */
public record ChatCompletionChunk(
        @JsonUnwrapped ResponseHeader header,
        List<Choice> choices,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Optional<Usage> usage) {

    public static final String OBJECT = "chat.completion.chunk";

    /** The chunk's choice: new text in {@code delta}, or the end with {@code finish_reason}. */
    @Schema(name = "ChatCompletionChunkChoice")
    public record Choice(
            int index,
            Delta delta,
            @Schema(description = "Always null: log probabilities are not implemented", nullable = true) @Nullable Object logprobs,
            @JsonProperty("finish_reason")
            @Schema(description = "null until the terminal chunk, never \"\"", allowableValues = {"stop", "length"}, nullable = true)
            @Nullable String finishReason,
            @JsonUnwrapped @Nullable RoutedExperts routing) {}

    /** What the chunk adds: the role in the first chunk, then text; empty in the terminal chunk. */
    @Schema(name = "ChatCompletionChunkDelta")
    public record Delta(
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(allowableValues = "assistant") @Nullable String role,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String content) {}
}
