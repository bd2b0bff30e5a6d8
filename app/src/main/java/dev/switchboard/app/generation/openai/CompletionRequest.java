package dev.switchboard.app.generation.openai;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.switchboard.app.errors.InvalidParameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import org.jspecify.annotations.Nullable;

/** The body of {@code POST /v1/completions} (legacy text completions): the prompt and the shared parameters. */
public record CompletionRequest(
        @Schema(requiredMode = RequiredMode.REQUIRED) @Nullable CompletionPrompt prompt,
        @JsonUnwrapped GenerationParameters parameters,
        @JsonUnwrapped RefusedParameters refused) {

    public CompletionRequest {
        if (prompt == null) {
            throw InvalidParameter.missing("prompt");
        }
    }
}
