package dev.switchboard.runtime.checkpoint;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The Hugging Face model families this runtime serves, chosen by {@code config.json}'s {@code model_type}. They share
 * one model (pre-norm decoder, RoPE, grouped-query attention, softmax-over-all-experts top-k router, SwiGLU experts)
 * and differ in the {@link FamilyFeatures} their config turns on and in the names of their MoE tensors. docs/MODELS.md
 * gives each family's exact semantics and the config fields read.
 */
public enum ModelFamily {

    /** {@code MixtralForCausalLM}: experts under {@code block_sparse_moe.experts.E.{w1,w3,w2}}. */
    MIXTRAL("mixtral", "block_sparse_moe", "w1", "w3", "w2"),
    /** {@code Qwen2MoeForCausalLM} (Qwen1.5-MoE, Qwen2-MoE): q/k/v biases, a shared expert, dense layers. */
    QWEN2_MOE("qwen2_moe", "mlp", "gate_proj", "up_proj", "down_proj"),
    /** {@code Qwen3MoeForCausalLM}: per-head q/k RMSNorm, {@code head_dim}, dense layers. */
    QWEN3_MOE("qwen3_moe", "mlp", "gate_proj", "up_proj", "down_proj"),
    /** {@code OlmoeForCausalLM}: q/k RMSNorm over the whole projection, {@code clip_qkv}. */
    OLMOE("olmoe", "mlp", "gate_proj", "up_proj", "down_proj");

    private final String modelType;
    private final String feedForward;
    private final String gateProjection;
    private final String upProjection;
    private final String downProjection;

    ModelFamily(String modelType, String feedForward, String gateProjection, String upProjection, String downProjection) {
        this.modelType = modelType;
        this.feedForward = feedForward;
        this.gateProjection = gateProjection;
        this.upProjection = upProjection;
        this.downProjection = downProjection;
    }

    /**
     * The family whose {@code model_type} this is.
     *
     * @throws IllegalArgumentException naming the supported values
     */
    public static ModelFamily forModelType(String modelType) {
        return Arrays.stream(values()).filter(f -> f.modelType.equals(modelType)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("model_type \"" + modelType + "\" is not supported: use one of "
                        + Arrays.stream(values()).map(ModelFamily::modelType).collect(Collectors.joining(", "))));
    }

    /** The {@code model_type} of {@code config.json}. */
    public String modelType() {
        return modelType;
    }

    /** The module under {@code model.layers.N.} holding the router and experts (or a dense layer's MLP). */
    public String feedForward() {
        return feedForward;
    }

    /** The SwiGLU gate projection's name (the SiLU branch; the expert SPI calls it {@code w1}). */
    public String gateProjection() {
        return gateProjection;
    }

    /** The SwiGLU up projection's name (the linear branch; the expert SPI's {@code w3}). */
    public String upProjection() {
        return upProjection;
    }

    /** The SwiGLU down projection's name (the expert SPI's {@code w2}). */
    public String downProjection() {
        return downProjection;
    }
}
