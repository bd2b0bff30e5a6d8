package dev.switchboard.app.generation;

import dev.switchboard.app.errors.InvalidParameter;
import dev.switchboard.app.generation.openai.ChatRequestMessage;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/route}: text or a chat whose prefill routing is traced.
 *
 * @param model the served model's id; null for whichever is served
 * @param input text, tokenized with BOS; used when {@code messages} is not set
 * @param messages a chat, rendered with the model's chat template
 */
public record RouteRequest(
        @Schema(description = "The served model's id; any served model when not set") @Nullable String model,
        @Schema(description = "Text, tokenized with BOS; required unless messages is set") @Nullable String input,
        @Schema(description = "A chat, rendered with the model's chat template; wins over input")
        @Nullable List<ChatRequestMessage> messages) {

    public RouteRequest {
        if (messages != null) {
            messages = ChatRequestMessage.conversation("messages", messages);
        } else if (input == null) {
            throw InvalidParameter.of("input", "is required: send 'input' (text) or 'messages' (a chat)");
        }
    }
}
