package dev.switchboard.runtime.checkpoint;

import dev.switchboard.runtime.checkpoint.MixtralTensorLayout.Expected;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensor names and shapes a checkpoint of any {@link ModelFamily} must hold for its config, in Hugging Face module
 * order. Linear weights are {@code [out_features, in_features]}. References: transformers {@code modeling_mixtral.py},
 * {@code modeling_qwen2_moe.py}, {@code modeling_qwen3_moe.py}, {@code modeling_olmoe.py} (docs/MODELS.md).
 */
public final class TensorLayout {

    private TensorLayout() {}

    /** Attention tensor {@code part} of a layer, e.g. {@code q_proj.bias} or {@code q_norm.weight}. */
    public static String attention(int layer, String part) {
        return layer(layer) + "self_attn." + part;
    }

    /** A layer's router weights {@code [experts, hidden_size]}. */
    public static String router(ModelFamily family, int layer) {
        return feedForward(family, layer) + "gate.weight";
    }

    /** The prefix of routed expert {@code expert}'s projections, e.g. {@code model.layers.0.mlp.experts.3.}. */
    public static String expert(ModelFamily family, int layer, int expert) {
        return feedForward(family, layer) + "experts." + expert + ".";
    }

    /** The prefix of a sparse layer's shared expert's projections (Qwen2-MoE). */
    public static String sharedExpert(ModelFamily family, int layer) {
        return feedForward(family, layer) + "shared_expert.";
    }

    /** The shared expert's sigmoid gate {@code [1, hidden_size]} (Qwen2-MoE). */
    public static String sharedExpertGate(ModelFamily family, int layer) {
        return feedForward(family, layer) + "shared_expert_gate.weight";
    }

    /** The prefix of a dense layer's MLP projections (Qwen families' {@code mlp_only_layers}). */
    public static String denseMlp(ModelFamily family, int layer) {
        return feedForward(family, layer);
    }

    /** Every tensor the config implies, keyed by name, in Hugging Face module order. */
    public static Map<String, Expected> expected(MixtralConfig c) {
        long hidden = c.hiddenSize();
        FamilyFeatures features = c.features();
        ModelFamily family = c.family();
        Map<String, Expected> out = new LinkedHashMap<>();
        put(out, MixtralTensorLayout.EMBED_TOKENS, "vocab_size, hidden_size", c.vocabSize(), hidden);
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            put(out, MixtralTensorLayout.inputLayernorm(l), "hidden_size", hidden);
            put(out, attention(l, "q_proj.weight"), "num_attention_heads*head_dim, hidden_size", c.queryDim(), hidden);
            put(out, attention(l, "k_proj.weight"), "num_key_value_heads*head_dim, hidden_size", c.keyValueDim(), hidden);
            put(out, attention(l, "v_proj.weight"), "num_key_value_heads*head_dim, hidden_size", c.keyValueDim(), hidden);
            put(out, attention(l, "o_proj.weight"), "hidden_size, num_attention_heads*head_dim", hidden, c.queryDim());
            if (features.qkvBias()) {
                put(out, attention(l, "q_proj.bias"), "num_attention_heads*head_dim", c.queryDim());
                put(out, attention(l, "k_proj.bias"), "num_key_value_heads*head_dim", c.keyValueDim());
                put(out, attention(l, "v_proj.bias"), "num_key_value_heads*head_dim", c.keyValueDim());
            }
            if (features.outputBias()) {
                put(out, attention(l, "o_proj.bias"), "hidden_size", hidden);
            }
            switch (features.qkNorm()) {
                case PER_HEAD -> {
                    put(out, attention(l, "q_norm.weight"), "head_dim", c.headDim());
                    put(out, attention(l, "k_norm.weight"), "head_dim", c.headDim());
                }
                case WHOLE_PROJECTION -> {
                    put(out, attention(l, "q_norm.weight"), "num_attention_heads*head_dim", c.queryDim());
                    put(out, attention(l, "k_norm.weight"), "num_key_value_heads*head_dim", c.keyValueDim());
                }
                case NONE -> { }
            }
            put(out, MixtralTensorLayout.postAttentionLayernorm(l), "hidden_size", hidden);
            if (c.isSparse(l)) {
                String experts = family == ModelFamily.MIXTRAL ? "num_local_experts" : "num_experts";
                put(out, router(family, l), experts + ", hidden_size", c.numLocalExperts(), hidden);
                String size = family == ModelFamily.MIXTRAL || family == ModelFamily.OLMOE
                        ? "intermediate_size" : "moe_intermediate_size";
                for (int e = 0; e < c.numLocalExperts(); e++) {
                    swiglu(out, family, expert(family, l, e), size, c.expertIntermediateSize(), hidden);
                }
                if (features.hasSharedExpert()) {
                    swiglu(out, family, sharedExpert(family, l), "shared_expert_intermediate_size",
                            features.sharedExpertIntermediateSize(), hidden);
                    put(out, sharedExpertGate(family, l), "1, hidden_size", 1, hidden);
                }
            } else {
                swiglu(out, family, denseMlp(family, l), "intermediate_size", c.intermediateSize(), hidden);
            }
        }
        put(out, MixtralTensorLayout.FINAL_NORM, "hidden_size", hidden);
        if (!c.tieWordEmbeddings()) {
            put(out, MixtralTensorLayout.LM_HEAD, "vocab_size, hidden_size", c.vocabSize(), hidden);
        }
        return out;
    }

    /** A SwiGLU MLP's three projections under {@code prefix}, in the family's module order. */
    private static void swiglu(Map<String, Expected> out, ModelFamily family, String prefix, String size, long inner,
            long hidden) {
        String gate = prefix + family.gateProjection() + ".weight";
        String up = prefix + family.upProjection() + ".weight";
        String down = prefix + family.downProjection() + ".weight";
        put(out, gate, size + ", hidden_size", inner, hidden);
        if (family == ModelFamily.MIXTRAL) { // w1, w2, w3
            put(out, down, "hidden_size, " + size, hidden, inner);
            put(out, up, size + ", hidden_size", inner, hidden);
        } else { // gate_proj, up_proj, down_proj
            put(out, up, size + ", hidden_size", inner, hidden);
            put(out, down, "hidden_size, " + size, hidden, inner);
        }
    }

    private static void put(Map<String, Expected> out, String name, String dims, long... shape) {
        out.put(name, new Expected(name, shape, dims));
    }

    private static String layer(int layer) {
        return "model.layers." + layer + ".";
    }

    private static String feedForward(ModelFamily family, int layer) {
        return layer(layer) + family.feedForward() + ".";
    }
}
