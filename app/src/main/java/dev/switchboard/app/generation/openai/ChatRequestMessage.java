package dev.switchboard.app.generation.openai;

import dev.switchboard.app.errors.InvalidParameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One chat message: a role and its text. Other message fields ({@code name}, {@code tool_call_id}, ...) are
 * ignored; so the prompt depends only on roles and texts.
 *
 * @param content never null: an assistant message without content is empty text
 */
public record ChatRequestMessage(
        @Schema(allowableValues = {"system", "developer", "user", "assistant", "tool"}, requiredMode = RequiredMode.REQUIRED)
        String role,
        @Schema(description = "Required except for assistant messages") @Nullable MessageContent content) {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    public ChatRequestMessage {
        if (role == null || !ROLES.contains(role)) {
            throw InvalidParameter.of("role", "must be one of " + ROLES.stream().sorted().toList() + ", found "
                    + (role == null ? "nothing" : "\"" + role + "\""));
        }
        if (content == null && !role.equals("assistant")) {
            throw InvalidParameter.of("content", "must be a string or a list of text parts");
        }
        content = content == null ? new MessageContent("") : content;
    }

    /** The message's text. */
    public String text() {
        return content.text();
    }

    /**
     * {@code messages} as a conversation: a non-empty list of messages.
     *
     * @param field the request field that holds the list
     */
    public static List<ChatRequestMessage> conversation(String field, @Nullable List<ChatRequestMessage> messages) {
        if (messages == null) {
            throw InvalidParameter.missing(field);
        }
        if (messages.isEmpty()) {
            throw InvalidParameter.of(field, "must be a non-empty list of messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) == null) {
                throw InvalidParameter.of(field + "[" + i + "]", "must be an object with 'role' and 'content'");
            }
        }
        return List.copyOf(messages);
    }
}
