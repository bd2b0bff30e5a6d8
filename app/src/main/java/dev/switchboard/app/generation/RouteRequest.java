package dev.switchboard.app.generation;

import dev.switchboard.app.errors.InvalidParameter;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.app.generation.openai.ChatRequestMessage;
import dev.switchboard.app.generation.openai.GenerationParameters;
import dev.switchboard.app.generation.openai.RoutingOverrideRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The body of {@code POST /api/route}: text or a chat whose prefill routing is traced.
 *
 * @param model the served model's id; null for whichever is served
 * @param input text, tokenized with BOS; used when {@code messages} is not set
 * @param messages a chat, rendered with the model's chat template
 * @param routingOverride the Switchboard extension {@code routing_override} ("what if"), bound as in
 *     {@link GenerationParameters#routingOverride()}; null when not set
 */
public record RouteRequest(
        @Schema(description = "The served model's id; any served model when not set") @Nullable String model,
        @Schema(description = "Text, tokenized with BOS; required unless messages is set") @Nullable String input,
        @Schema(description = "A chat, rendered with the model's chat template; wins over input")
        @Nullable List<ChatRequestMessage> messages,
        @JsonProperty(RoutingOverrideRequest.PARAM)
        @JsonDeserialize(using = RoutingOverrideRequest.Binding.class)
        @Nullable RoutingOverrideRequest routingOverride) {

    public RouteRequest {
        if (messages != null) {
            messages = ChatRequestMessage.conversation("messages", messages);
        } else if (input == null) {
            throw InvalidParameter.of("input", "is required: send 'input' (text) or 'messages' (a chat)");
        }
    }
}
