package dev.switchboard.runtime.checkpoint;

import java.util.Arrays;
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

    /** Every tensor the config implies, keyed by name, in Hugging Face module order ({@link TensorLayout#expected}). */
    public static Map<String, Expected> expected(MixtralConfig c) {
        return TensorLayout.expected(c);
    }

    private static String layer(int layer) {
        return "model.layers." + layer + ".";
    }

    private static String expert(int layer, int expert) {
        return layer(layer) + "block_sparse_moe.experts." + expert + ".";
    }
}
