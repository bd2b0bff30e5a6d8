package dev.switchboard.app.model;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders chat messages into the prompt text the model was trained on. Uses {@code chat_template} from
 * {@code tokenizer_config.json} (a Jinja template, rendered with Jinjava in a {@link TemplateSandbox}) when present;
 * otherwise {@link #DEFAULT_TEMPLATE}, the Mistral instruct format. Message contents are values the template
 * prints, never template code. Thread-safe.
 */
public final class ChatTemplate {

    /**
     * The fallback: {@code <s>[INST] user [/INST]assistant</s>[INST] ...}. System, developer and tool turns
     * are rendered like user turns, since the Mistral format has no role of its own for them.
     */
    public static final String DEFAULT_TEMPLATE = "{{ bos_token }}{% for message in messages %}"
            + "{% if message['role'] == 'assistant' %}{{ message['content'] + eos_token }}"
            + "{% else %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% endif %}{% endfor %}";

    private final Jinjava jinjava;
    private final String template;
    private final String bosToken;
    private final String eosToken;

    ChatTemplate(String template, String bosToken, String eosToken) {
        this.jinjava = TemplateSandbox.newEngine();
        // Hugging Face templates call raise_exception('...') to reject a conversation they cannot render.
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition(
                "", "raise_exception", ChatTemplate.class, "raiseException", String.class));
        this.template = template;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
    }

    /** Reads {@code chat_template}, {@code bos_token} and {@code eos_token} from a tokenizer_config.json, if present. */
    public static ChatTemplate fromModelDirectory(Path directory) {
        Path config = directory.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(config)) {
            return new ChatTemplate(DEFAULT_TEMPLATE, "<s>", "</s>");
        }
        try {
            JsonNode json = JsonMapper.builder().build().readTree(Files.readString(config));
            JsonNode chatTemplate = json.path("chat_template");
            String template = chatTemplate.isString() ? chatTemplate.asString() : DEFAULT_TEMPLATE;
            return new ChatTemplate(template, tokenString(json.path("bos_token"), "<s>"), tokenString(json.path("eos_token"), "</s>"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the chat template from " + config + ": " + e.getMessage(), e);
        }
    }

    /** The prompt for {@code messages}, ending where the assistant's answer begins. */
    public String render(List<ChatMessage> messages) {
        Map<String, Object> context = new HashMap<>();
        context.put("messages", messages.stream().map(m -> Map.of("role", m.role(), "content", m.content())).toList());
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        context.put("add_generation_prompt", true);
        RenderResult result;
        try {
            result = TemplateSandbox.timed(() -> jinjava.renderForResult(template, context));
        } catch (TemplateSandbox.RenderTimeExceededException e) {
            throw new TemplateRejectedException(e.getMessage());
        }
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new TemplateRejectedException(rootMessage(error));
            }
        }
        return result.getOutput();
    }

    /** Called by templates as {@code raise_exception(message)}. */
    public static String raiseException(String message) {
        throw new TemplateRejectedException(message);
    }

    private static String rootMessage(TemplateError error) {
        for (Throwable t = error.getException(); t != null; t = t.getCause()) {
            if (t instanceof TemplateRejectedException || t instanceof TemplateSandbox.RenderTimeExceededException) {
                return t.getMessage();
            }
        }
        return error.getMessage();
    }

    private static String tokenString(JsonNode node, String fallback) {
        if (node.isString()) {
            return node.asString();
        }
        if (node.isObject() && node.path("content").isString()) {
            return node.path("content").asString(); // older configs: {"content": "<s>", "lstrip": false, ...}
        }
        return fallback;
    }

    /** The template refused the conversation (e.g. roles not alternating); the message says why. */
    public static final class TemplateRejectedException extends RuntimeException {
        TemplateRejectedException(String message) {
            super(message);
        }
    }
}
