package dev.switchboard.app.generation.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** {@code stream_options}, allowed only with {@code stream: true}. */
public record StreamOptions(
        @JsonProperty("include_usage")
        @Schema(description = "Every chunk gets \"usage\": null and one more chunk with \"choices\": [] and the totals comes "
                + "before [DONE]")
        @Nullable Boolean includeUsage) {}
