package dev.switchboard.runtime.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Maps the snake_case names of a Hugging Face {@code config.json} onto {@link MixtralConfig}. */
final class MixtralConfigJson {

    private final Path file;
    private final JsonObject json;

    private MixtralConfigJson(Path file, JsonObject json) {
        this.file = file;
        this.json = json;
    }

    static MixtralConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read config.json: " + e, e);
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new CheckpointException(file + ": malformed JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject()) {
            throw new CheckpointException(file + ": expected a JSON object, found " + kind(root));
        }
        return new MixtralConfigJson(file, root.getAsJsonObject()).toConfig();
    }

    private MixtralConfig toConfig() {
        int hidden = requiredInt("hidden_size");
        int heads = requiredInt("num_attention_heads");
        int headDim;
        if (has("head_dim")) {
            headDim = requiredInt("head_dim");
        } else if (heads > 0 && hidden % heads == 0) {
            headDim = hidden / heads;
        } else {
            throw new CheckpointException(file + ": hidden_size (" + hidden + ") is not divisible by "
                    + "num_attention_heads (" + heads + "); set head_dim explicitly");
        }
        try {
            return new MixtralConfig(
                    requiredString("model_type"),
                    hidden,
                    requiredInt("intermediate_size"),
                    requiredInt("num_hidden_layers"),
                    heads,
                    has("num_key_value_heads") ? requiredInt("num_key_value_heads") : heads,
                    headDim,
                    requiredInt("num_local_experts"),
                    requiredInt("num_experts_per_tok"),
                    requiredDouble("rms_norm_eps"),
                    has("rope_theta") ? requiredDouble("rope_theta") : 1e6,
                    requiredInt("max_position_embeddings"),
                    requiredInt("vocab_size"),
                    has("tie_word_embeddings") && requiredBoolean("tie_word_embeddings"),
                    requiredInt("bos_token_id"),
                    tokenId("eos_token_id"),
                    !has("norm_topk_prob") || requiredBoolean("norm_topk_prob"),
                    has("switchboard_routing") ? requiredString("switchboard_routing") : "topk",
                    has("switchboard_capacity_factor") ? requiredDouble("switchboard_capacity_factor") : 1.25,
                    has("switchboard_expert_kind") ? requiredString("switchboard_expert_kind") : "swiglu");
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": " + e.getMessage(), e);
        }
    }

    /** Absent and JSON null both mean "not given", as in Hugging Face's PretrainedConfig. */
    private boolean has(String name) {
        return json.has(name) && !json.get(name).isJsonNull();
    }

    private JsonPrimitive primitive(String name, String expected) {
        if (!has(name)) {
            throw new CheckpointException(file + ": missing required field \"" + name + "\" (" + expected + ")");
        }
        JsonElement value = json.get(name);
        if (!value.isJsonPrimitive()) {
            throw wrongType(name, expected, value);
        }
        return value.getAsJsonPrimitive();
    }

    private int requiredInt(String name) {
        JsonPrimitive value = primitive(name, "an integer");
        return integer(name, value);
    }

    private int integer(String name, JsonPrimitive value) {
        if (!value.isNumber()) {
            throw wrongType(name, "an integer", value);
        }
        try {
            return new BigDecimal(value.getAsString()).intValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw wrongType(name, "an integer", value);
        }
    }

    /** eos_token_id may be a list in newer configs; the first entry is the one generation stops on. */
    private int tokenId(String name) {
        if (has(name) && json.get(name).isJsonArray() && !json.getAsJsonArray(name).isEmpty()
                && json.getAsJsonArray(name).get(0).isJsonPrimitive()) {
            return integer(name, json.getAsJsonArray(name).get(0).getAsJsonPrimitive());
        }
        return requiredInt(name);
    }

    private double requiredDouble(String name) {
        JsonPrimitive value = primitive(name, "a number");
        if (!value.isNumber()) {
            throw wrongType(name, "a number", value);
        }
        return value.getAsDouble();
    }

    private boolean requiredBoolean(String name) {
        JsonPrimitive value = primitive(name, "true or false");
        if (!value.isBoolean()) {
            throw wrongType(name, "true or false", value);
        }
        return value.getAsBoolean();
    }

    private String requiredString(String name) {
        JsonPrimitive value = primitive(name, "a string");
        if (!value.isString()) {
            throw wrongType(name, "a string", value);
        }
        return value.getAsString();
    }

    private CheckpointException wrongType(String name, String expected, JsonElement found) {
        return new CheckpointException(file + ": field \"" + name + "\" must be " + expected + ", found " + found);
    }

    private static String kind(JsonElement element) {
        if (element.isJsonArray()) {
            return "an array";
        }
        return element.isJsonNull() ? "null" : "a value " + element;
    }
}
