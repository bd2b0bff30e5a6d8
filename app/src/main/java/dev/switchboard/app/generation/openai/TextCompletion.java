package dev.switchboard.app.generation.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code POST /v1/completions}, and each server-sent event of a streamed one (OpenAI uses the
 * same object for both).
 *
 * @param usage always present in a whole answer; in a stream as {@link ChatCompletionChunk#usage()}
 */
public record TextCompletion(
        @JsonUnwrapped ResponseHeader header,
        List<Choice> choices,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Optional<Usage> usage) {

    public static final String OBJECT = "text_completion";

    /** The one choice: the text (in a stream, the new text; empty in the terminal chunk). */
    @Schema(name = "TextCompletionChoice")
    public record Choice(
            int index,
            String text,
            @Schema(description = "Always null: log probabilities are not implemented", nullable = true) @Nullable Object logprobs,
            @JsonProperty("finish_reason")
            @Schema(description = "null until the terminal chunk of a stream", allowableValues = {"stop", "length"}, nullable = true)
            @Nullable String finishReason,
            @JsonUnwrapped @Nullable RoutedExperts routing) {}
}
