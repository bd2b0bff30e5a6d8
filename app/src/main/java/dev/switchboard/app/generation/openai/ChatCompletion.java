package dev.switchboard.app.generation.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The answer of a non-streamed {@code POST /v1/chat/completions}. */
public record ChatCompletion(
        @JsonUnwrapped ResponseHeader header,
        List<Choice> choices,
        Usage usage) {

    public static final String OBJECT = "chat.completion";

    /** The one choice: the generated message and why generation ended. */
    @Schema(name = "ChatCompletionChoice")
    public record Choice(
            int index,
            Message message,
            @Schema(description = "Always null: log probabilities are not implemented", nullable = true) @Nullable Object logprobs,
            @JsonProperty("finish_reason") @Schema(allowableValues = {"stop", "length"}) String finishReason,
            @JsonUnwrapped @Nullable RoutedExperts routing) {}

    /** The generated message. */
    @Schema(name = "ChatCompletionMessage")
    public record Message(@Schema(allowableValues = "assistant") String role, String content) {}
}
