package dev.switchboard.runtime.checkpoint;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensor names and shapes a Hugging Face {@code MixtralForCausalLM} checkpoint must hold for a
 * given config, in module order. Linear weights are {@code [out_features, in_features]}.
 * Reference: transformers {@code modeling_mixtral.py} (MixtralDecoderLayer, MixtralSparseMoeBlock).
 */
public final class MixtralTensorLayout {

    public static final String EMBED_TOKENS = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    /** One expected tensor; {@code dims} names the config fields behind the shape, for error messages. */
    public record Expected(String name, long[] shape, String dims) {

        public Expected {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** The shape followed by its meaning, e.g. {@code [512, 64] (vocab_size, hidden_size)}. */
        public String describe() {
            return Arrays.toString(shape) + " (" + dims + ")";
        }
    }

    private MixtralTensorLayout() {}

    public static String inputLayernorm(int layer) {
        return layer(layer) + "input_layernorm.weight";
    }

    public static String postAttentionLayernorm(int layer) {
        return layer(layer) + "post_attention_layernorm.weight";
    }

    public static String qProj(int layer) {
        return layer(layer) + "self_attn.q_proj.weight";
    }

    public static String kProj(int layer) {
        return layer(layer) + "self_attn.k_proj.weight";
    }

    public static String vProj(int layer) {
        return layer(layer) + "self_attn.v_proj.weight";
    }

    public static String oProj(int layer) {
        return layer(layer) + "self_attn.o_proj.weight";
    }

    /** Router weights {@code [num_local_experts, hidden_size]}. */
    public static String gate(int layer) {
        return layer(layer) + "block_sparse_moe.gate.weight";
    }

    /** Expert gate projection (SwiGLU's SiLU branch) {@code [intermediate_size, hidden_size]}. */
    public static String expertW1(int layer, int expert) {
        return expert(layer, expert) + "w1.weight";
    }

    /** Expert down projection {@code [hidden_size, intermediate_size]}. */
    public static String expertW2(int layer, int expert) {
        return expert(layer, expert) + "w2.weight";
    }

    /** Expert up projection (SwiGLU's linear branch) {@code [intermediate_size, hidden_size]}. */
    public static String expertW3(int layer, int expert) {
        return expert(layer, expert) + "w3.weight";
    }

    /** Every tensor the config implies, keyed by name, in Hugging Face module order. */
    public static Map<String, Expected> expected(MixtralConfig c) {
        long hidden = c.hiddenSize();
        long inter = c.intermediateSize();
        Map<String, Expected> out = new LinkedHashMap<>();
        put(out, EMBED_TOKENS, "vocab_size, hidden_size", c.vocabSize(), hidden);
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            put(out, inputLayernorm(l), "hidden_size", hidden);
            put(out, qProj(l), "num_attention_heads*head_dim, hidden_size", c.queryDim(), hidden);
            put(out, kProj(l), "num_key_value_heads*head_dim, hidden_size", c.keyValueDim(), hidden);
            put(out, vProj(l), "num_key_value_heads*head_dim, hidden_size", c.keyValueDim(), hidden);
            put(out, oProj(l), "hidden_size, num_attention_heads*head_dim", hidden, c.queryDim());
            put(out, postAttentionLayernorm(l), "hidden_size", hidden);
            put(out, gate(l), "num_local_experts, hidden_size", c.numLocalExperts(), hidden);
            for (int e = 0; e < c.numLocalExperts(); e++) {
                put(out, expertW1(l, e), "intermediate_size, hidden_size", inter, hidden);
                put(out, expertW2(l, e), "hidden_size, intermediate_size", hidden, inter);
                put(out, expertW3(l, e), "intermediate_size, hidden_size", inter, hidden);
            }
        }
        put(out, FINAL_NORM, "hidden_size", hidden);
        if (!c.tieWordEmbeddings()) {
            put(out, LM_HEAD, "vocab_size, hidden_size", c.vocabSize(), hidden);
        }
        return out;
    }

    private static void put(Map<String, Expected> out, String name, String dims, long... shape) {
        out.put(name, new Expected(name, shape, dims));
    }

    private static String layer(int layer) {
        return "model.layers." + layer + ".";
    }

    private static String expert(int layer, int expert) {
        return layer(layer) + "block_sparse_moe.experts." + expert + ".";
    }
}
