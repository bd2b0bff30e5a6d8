package dev.switchboard.app.generation;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.model.ChatMessage;
import dev.switchboard.app.model.ChatTemplate;
import dev.switchboard.app.model.ServedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Turns {@code messages} (chat) or {@code prompt} (completions) into prompt token ids, with 400s naming the parameter. */
final class PromptParser {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    private PromptParser() {}

    /** The chat messages, validated: a non-empty list of {role, content} with text content. */
    static List<ChatMessage> messages(RequestFields fields) {
        JsonNode messages = fields.node("messages");
        if (messages.isMissingNode() || messages.isNull()) {
            throw ApiException.invalid("messages", "Missing required parameter: 'messages'");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw ApiException.invalid("messages", "'messages' must be a non-empty list of messages");
        }
        List<ChatMessage> parsed = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String at = "messages[" + i + "]";
            if (!message.isObject()) {
                throw ApiException.invalid(at, "'" + at + "' must be an object with 'role' and 'content'");
            }
            JsonNode role = message.path("role");
            if (!role.isString() || !ROLES.contains(role.asString())) {
                throw ApiException.invalid(at + ".role", "'" + at + ".role' must be one of " + ROLES.stream().sorted().toList()
                        + ", found " + (role.isMissingNode() ? "nothing" : role.toString()));
            }
            parsed.add(new ChatMessage(role.asString(), content(message.path("content"), role.asString(), at + ".content")));
        }
        return parsed;
    }

    private static String content(JsonNode content, String role, String at) {
        if (content.isString()) {
            return content.asString();
        }
        if ((content.isMissingNode() || content.isNull()) && role.equals("assistant")) {
            return "";
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asString(null)) || !part.path("text").isString()) {
                    throw ApiException.invalid(at, "'" + at + "' parts must be {\"type\": \"text\", \"text\": ...}; "
                            + "this server reads text only");
                }
                text.append(part.path("text").asString());
            }
            return text.toString();
        }
        throw ApiException.invalid(at, "'" + at + "' must be a string or a list of text parts");
    }

    /** The chat prompt: messages rendered with the model's chat template, then tokenized. */
    static int[] chatTokens(ServedModel model, List<ChatMessage> messages) {
        PromptLength.requireFits(model, messages.stream().mapToLong(m -> m.content().length()).sum(), "messages");
        String rendered;
        try {
            rendered = model.chatTemplate().render(messages);
        } catch (ChatTemplate.TemplateRejectedException e) {
            throw ApiException.invalid("messages", "The model's chat template rejected the messages: " + e.getMessage());
        }
        PromptLength.requireFits(model, rendered.length(), "messages");
        return model.tokenizer().encodeRendered(rendered);
    }

    /** {@code prompt}: a string, a one-element list of strings, a list of token ids, or a one-element list of those. */
    static int[] completionTokens(ServedModel model, RequestFields fields) {
        JsonNode prompt = fields.node("prompt");
        if (prompt.isMissingNode() || prompt.isNull()) {
            throw ApiException.invalid("prompt", "Missing required parameter: 'prompt'");
        }
        if (prompt.isArray() && prompt.size() == 1 && (prompt.get(0).isString() || prompt.get(0).isArray())) {
            prompt = prompt.get(0); // a batch of one
        }
        if (prompt.isString()) {
            PromptLength.requireFits(model, prompt.asString().length(), "prompt");
            return model.tokenizer().encodePrompt(prompt.asString());
        }
        if (prompt.isArray() && !prompt.isEmpty()) {
            int[] ids = new int[prompt.size()];
            for (int i = 0; i < ids.length; i++) {
                JsonNode id = prompt.get(i);
                if (!id.isIntegralNumber() || id.asLong() < 0 || id.asLong() >= model.shape().vocabSize()) {
                    throw ApiException.invalid("prompt", "'prompt' token ids must be integers in [0, "
                            + model.shape().vocabSize() + "); found " + id + " at index " + i);
                }
                ids[i] = id.asInt();
            }
            return ids;
        }
        throw ApiException.invalid("prompt", "'prompt' must be a string, a list of token ids, or a list holding one of "
                + "those (one prompt per request)");
    }
}
