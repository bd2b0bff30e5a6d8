package dev.switchboard.app.generation.openai;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** {@code response_format}: only {@code {"type": "text"}}, plain text, is implemented. */
public record ResponseFormat(@Schema(allowableValues = "text") @Nullable String type) {}
