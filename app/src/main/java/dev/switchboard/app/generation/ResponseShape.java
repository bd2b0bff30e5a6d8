package dev.switchboard.app.generation;

import dev.switchboard.app.model.TokenRouting;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The exact JSON of OpenAI's chat and text completion objects and chunks. One instance per request:
 * every chunk of a stream carries the same {@code id} and {@code created}.
 */
final class ResponseShape {

    /** Which endpoint's shapes. */
    enum Kind {
        CHAT("chatcmpl-", "chat.completion", "chat.completion.chunk"),
        TEXT("cmpl-", "text_completion", "text_completion");

        final String idPrefix;
        final String object;
        final String chunkObject;

        Kind(String idPrefix, String object, String chunkObject) {
            this.idPrefix = idPrefix;
            this.object = object;
            this.chunkObject = chunkObject;
        }
    }

    static final String SYSTEM_FINGERPRINT = "fp_switchboard";

    private final JsonMapper json;
    private final Kind kind;
    private final String id;
    private final long created;
    private final String model;
    private final boolean usageField;

    /** @param usageField add {@code "usage": null} to every chunk (when the stream ends with a usage chunk) */
    ResponseShape(JsonMapper json, Kind kind, String id, long created, String model, boolean usageField) {
        this.json = json;
        this.kind = kind;
        this.id = id;
        this.created = created;
        this.model = model;
        this.usageField = usageField;
    }

    String id() {
        return id;
    }

    boolean isChat() {
        return kind == Kind.CHAT;
    }

    /** The whole non-streamed answer. */
    ObjectNode completion(String text, String finishReason, int promptTokens, int completionTokens,
            List<TokenRouting> routing, boolean withRouting) {
        ObjectNode root = header(kind.object);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (kind == Kind.CHAT) {
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", text);
        } else {
            choice.put("text", text);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        if (withRouting) {
            putRouting(choice, routing);
        }
        putUsage(root, promptTokens, completionTokens);
        return root;
    }

    /** The first chat chunk: the role and empty content (text completions have none). */
    ObjectNode roleChunk() {
        ObjectNode root = header(kind.chunkObject);
        ObjectNode choice = chunkChoice(root);
        ObjectNode delta = choice.putObject("delta");
        delta.put("role", "assistant");
        delta.put("content", "");
        finishChoice(choice, null);
        return usageNull(root);
    }

    /** A chunk with new text and, with {@code routing: true}, the routing of the tokens behind it. */
    ObjectNode textChunk(String text, List<TokenRouting> routing, boolean withRouting) {
        ObjectNode root = header(kind.chunkObject);
        ObjectNode choice = chunkChoice(root);
        if (kind == Kind.CHAT) {
            choice.putObject("delta").put("content", text);
        } else {
            choice.put("text", text);
        }
        finishChoice(choice, null);
        if (withRouting) {
            putRouting(choice, routing);
        }
        return usageNull(root);
    }

    /** The terminal chunk: empty delta, {@code finish_reason} set. */
    ObjectNode finishChunk(String finishReason, List<TokenRouting> routing, boolean withRouting) {
        ObjectNode root = header(kind.chunkObject);
        ObjectNode choice = chunkChoice(root);
        if (kind == Kind.CHAT) {
            choice.putObject("delta");
        } else {
            choice.put("text", "");
        }
        finishChoice(choice, finishReason);
        if (withRouting) {
            putRouting(choice, routing);
        }
        return usageNull(root);
    }

    /** The usage-only chunk of {@code stream_options.include_usage}: {@code choices: []}. */
    ObjectNode usageChunk(int promptTokens, int completionTokens) {
        ObjectNode root = header(kind.chunkObject);
        root.putArray("choices");
        putUsage(root, promptTokens, completionTokens);
        return root;
    }

    private ObjectNode header(String object) {
        ObjectNode root = json.createObjectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        root.put("system_fingerprint", SYSTEM_FINGERPRINT);
        return root;
    }

    private static ObjectNode chunkChoice(ObjectNode root) {
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        return choice;
    }

    private static void finishChoice(ObjectNode choice, String finishReason) {
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason); // null until the terminal chunk, never ""
    }

    private ObjectNode usageNull(ObjectNode root) {
        if (usageField) {
            root.putNull("usage");
        }
        return root;
    }

    private static void putUsage(ObjectNode root, int promptTokens, int completionTokens) {
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
    }

    /** vLLM's {@code routed_experts} layout [tokens, layers, k], and the weights alongside in the same layout. */
    private static void putRouting(ObjectNode choice, List<TokenRouting> routing) {
        ArrayNode experts = choice.putArray("routed_experts");
        ArrayNode weights = choice.putArray("routed_weights");
        for (TokenRouting token : routing) {
            ArrayNode tokenExperts = experts.addArray();
            ArrayNode tokenWeights = weights.addArray();
            for (int layer = 0; layer < token.experts().length; layer++) {
                ArrayNode layerExperts = tokenExperts.addArray();
                ArrayNode layerWeights = tokenWeights.addArray();
                for (int k = 0; k < token.experts()[layer].length; k++) {
                    layerExperts.add(token.experts()[layer][k]);
                    layerWeights.add(token.weights()[layer][k]);
                }
            }
        }
    }
}
