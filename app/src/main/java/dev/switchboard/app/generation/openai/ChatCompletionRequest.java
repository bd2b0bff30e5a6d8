package dev.switchboard.app.generation.openai;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The body of {@code POST /v1/chat/completions}: the conversation and the shared generation parameters. */
public record ChatCompletionRequest(
        @Schema(description = "A non-empty list of messages", requiredMode = RequiredMode.REQUIRED)
        @Nullable List<ChatRequestMessage> messages,
        @JsonUnwrapped GenerationParameters parameters,
        @JsonUnwrapped RefusedParameters refused) {

    public ChatCompletionRequest {
        messages = ChatRequestMessage.conversation("messages", messages);
    }
}
