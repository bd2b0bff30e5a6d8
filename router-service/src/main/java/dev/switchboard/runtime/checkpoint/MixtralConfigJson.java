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
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Maps the snake_case names of a Hugging Face {@code config.json} onto {@link MixtralConfig}: {@code model_type} picks
 * the {@link ModelFamily}, whose fields and defaults are read; options the runtime does not implement are refused.
 */
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
        ModelFamily family;
        try {
            family = ModelFamily.forModelType(requiredString("model_type"));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": " + e.getMessage(), e);
        }
        refuseUnsupportedOptions(family);
        int hidden = requiredInt("hidden_size");
        int heads = requiredInt("num_attention_heads");
        int headDim = headDim(family, hidden, heads);
        boolean mixtral = family == ModelFamily.MIXTRAL;
        int intermediate = requiredInt("intermediate_size");
        try {
            return new MixtralConfig(
                    family.modelType(),
                    hidden,
                    intermediate,
                    requiredInt("num_hidden_layers"),
                    heads,
                    has("num_key_value_heads") ? requiredInt("num_key_value_heads") : heads,
                    headDim,
                    requiredInt(mixtral || !has("num_experts") ? "num_local_experts" : "num_experts"),
                    requiredInt("num_experts_per_tok"),
                    mixtral ? requiredDouble("rms_norm_eps") : optionalDouble("rms_norm_eps", familyEps(family)),
                    ropeTheta(mixtral ? 1e6 : 10000.0),
                    requiredInt("max_position_embeddings"),
                    requiredInt("vocab_size"),
                    has("tie_word_embeddings") && requiredBoolean("tie_word_embeddings"),
                    mixtral || has("bos_token_id") ? requiredInt("bos_token_id") : tokenId("eos_token_id"), // OLMoE has none; unused unless add_bos_token
                    tokenId("eos_token_id"),
                    has("norm_topk_prob") ? requiredBoolean("norm_topk_prob") : mixtral, // Mixtral renormalises, the others default to not
                    has("switchboard_routing") ? requiredString("switchboard_routing") : "topk",
                    has("switchboard_capacity_factor") ? requiredDouble("switchboard_capacity_factor") : 1.25,
                    has("switchboard_expert_kind") ? requiredString("switchboard_expert_kind") : "swiglu",
                    features(family, intermediate));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": " + e.getMessage(), e);
        }
    }

    /** The variation points each family's config fields turn on, with Hugging Face's defaults (docs/MODELS.md). */
    private FamilyFeatures features(ModelFamily family, int intermediate) {
        return switch (family) {
            case MIXTRAL -> FamilyFeatures.mixtral(intermediate);
            case QWEN2_MOE -> new FamilyFeatures(family, optionalBoolean("qkv_bias", true), false, QkNorm.NONE,
                    OptionalDouble.empty(), requiredInt("moe_intermediate_size"),
                    has("shared_expert_intermediate_size") ? requiredInt("shared_expert_intermediate_size") : 0,
                    optionalInt("decoder_sparse_step", 1), intList("mlp_only_layers"));
            case QWEN3_MOE -> {
                boolean bias = optionalBoolean("attention_bias", false);
                yield new FamilyFeatures(family, bias, bias, QkNorm.PER_HEAD, OptionalDouble.empty(),
                        requiredInt("moe_intermediate_size"), 0, optionalInt("decoder_sparse_step", 1),
                        intList("mlp_only_layers"));
            }
            case OLMOE -> {
                boolean bias = optionalBoolean("attention_bias", false);
                yield new FamilyFeatures(family, bias, bias, QkNorm.WHOLE_PROJECTION,
                        has("clip_qkv") ? OptionalDouble.of(requiredDouble("clip_qkv")) : OptionalDouble.empty(),
                        intermediate, 0, 1, List.of());
            }
        };
    }

    /** Options that change the forward pass in ways this runtime does not implement: refused, naming the field. */
    private void refuseUnsupportedOptions(ModelFamily family) {
        if (has("rope_scaling") && !defaultRope(json.get("rope_scaling"))) {
            throw unsupported("rope_scaling", json.get("rope_scaling") + " is not supported (only the default rotary "
                    + "embedding is implemented); remove it or serve a checkpoint without rope scaling");
        }
        if (has("rope_parameters") && !defaultRope(json.get("rope_parameters"))) {
            throw unsupported("rope_parameters", json.get("rope_parameters") + " asks for a rope_type other than "
                    + "\"default\", which is not supported");
        }
        if (has("use_sliding_window") && requiredBoolean("use_sliding_window")) {
            throw unsupported("use_sliding_window", "true is not supported (attention is full causal); set it to false");
        }
        if (family != ModelFamily.QWEN2_MOE && family != ModelFamily.QWEN3_MOE && has("sliding_window")
                && has("max_position_embeddings") && requiredInt("sliding_window") < requiredInt("max_position_embeddings")) {
            throw unsupported("sliding_window", requiredInt("sliding_window") + " is not supported (attention is full "
                    + "causal); set it to null");
        }
        if (has("hidden_act") && !"silu".equals(requiredString("hidden_act"))) {
            throw unsupported("hidden_act", "\"" + requiredString("hidden_act") + "\" is not supported: experts are SwiGLU (silu)");
        }
        if (family != ModelFamily.OLMOE && has("clip_qkv")) {
            throw unsupported("clip_qkv", "is an OLMoE option; model_type " + family.modelType() + " does not clip");
        }
    }

    private static boolean defaultRope(JsonElement rope) {
        if (!rope.isJsonObject()) {
            return false;
        }
        JsonObject object = rope.getAsJsonObject();
        JsonElement type = object.has("rope_type") ? object.get("rope_type") : object.get("type");
        return type == null || type.isJsonNull() || "default".equals(type.getAsString());
    }

    /** {@code rope_theta}, or transformers v5's {@code rope_parameters.rope_theta}, or the family's default. */
    private double ropeTheta(double familyDefault) {
        if (has("rope_theta")) {
            return requiredDouble("rope_theta");
        }
        if (has("rope_parameters") && json.get("rope_parameters").getAsJsonObject().has("rope_theta")) {
            return json.get("rope_parameters").getAsJsonObject().get("rope_theta").getAsDouble();
        }
        return familyDefault;
    }

    private static double familyEps(ModelFamily family) {
        return family == ModelFamily.OLMOE ? 1e-5 : 1e-6;
    }

    /** {@code head_dim} if given, else hidden/heads; OLMoE's attention always uses hidden/heads. */
    private int headDim(ModelFamily family, int hidden, int heads) {
        boolean divisible = heads > 0 && hidden % heads == 0;
        if (family == ModelFamily.OLMOE) {
            if (has("head_dim") && (!divisible || requiredInt("head_dim") != hidden / heads)) {
                throw unsupported("head_dim", requiredInt("head_dim") + " differs from hidden_size / num_attention_heads, "
                        + "which OLMoE's attention always uses; remove head_dim");
            }
        } else if (has("head_dim")) {
            return requiredInt("head_dim");
        }
        if (!divisible) {
            throw new CheckpointException(file + ": hidden_size (" + hidden + ") is not divisible by "
                    + "num_attention_heads (" + heads + "); set head_dim explicitly");
        }
        return hidden / heads;
    }

    private CheckpointException unsupported(String field, String why) {
        return new CheckpointException(file + ": field \"" + field + "\" " + why);
    }

    private int optionalInt(String name, int fallback) {
        return has(name) ? requiredInt(name) : fallback;
    }

    private double optionalDouble(String name, double fallback) {
        return has(name) ? requiredDouble(name) : fallback;
    }

    private boolean optionalBoolean(String name, boolean fallback) {
        return has(name) ? requiredBoolean(name) : fallback;
    }

    /** A list of integers; absent or null is empty. */
    private List<Integer> intList(String name) {
        if (!has(name)) {
            return List.of();
        }
        JsonElement value = json.get(name);
        if (!value.isJsonArray()) {
            throw wrongType(name, "a list of integers", value);
        }
        List<Integer> out = new ArrayList<>();
        for (JsonElement item : value.getAsJsonArray()) {
            if (!item.isJsonPrimitive()) {
                throw wrongType(name, "a list of integers", value);
            }
            out.add(integer(name, item.getAsJsonPrimitive()));
        }
        return out;
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
