package dev.switchboard.app.generation.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** {@code GET /v1/models}: the served model, or an empty list while none is loaded. */
public record ModelList(@Schema(allowableValues = "list") String object, List<ModelCard> data) {

    public static ModelList of(List<ModelCard> models) {
        return new ModelList("list", models);
    }

    /** One model ({@code GET /v1/models/{id}}). */
    public record ModelCard(
            String id,
            @Schema(allowableValues = "model") String object,
            long created,
            @JsonProperty("owned_by") String ownedBy,
            @JsonProperty("context_length") @Schema(description = "Tokens of prompt and completion together, at most")
            int contextLength) {

        public static ModelCard of(String id, long created, int contextLength) {
            return new ModelCard(id, "model", created, "switchboard", contextLength);
        }
    }
}
