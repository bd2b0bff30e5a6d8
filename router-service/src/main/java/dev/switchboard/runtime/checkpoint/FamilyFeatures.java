package dev.switchboard.runtime.checkpoint;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The variation points of the one model implementation: what a family's {@code config.json} turns on beyond
 * Mixtral. {@link #mixtral(int)} is Mixtral, where every point is off.
 *
 * @param family the {@code model_type}, which also names the MoE tensors
 * @param qkvBias the q, k and v projections have biases (Qwen2-MoE {@code qkv_bias}; {@code attention_bias})
 * @param outputBias the o projection has a bias ({@code attention_bias} of Qwen3-MoE and OLMoE)
 * @param qkNorm q/k normalisation before RoPE
 * @param clipQkv OLMoE {@code clip_qkv}: q, k and v clamped to {@code [-clip, clip]} after the q/k norm; empty for none
 * @param expertIntermediateSize the routed experts' inner width ({@code moe_intermediate_size}; Mixtral and OLMoE:
 *     {@code intermediate_size})
 * @param sharedExpertIntermediateSize Qwen2-MoE {@code shared_expert_intermediate_size}; 0 without a shared expert
 * @param decoderSparseStep layer l is sparse when {@code (l + 1) % decoderSparseStep == 0} (and not in mlpOnlyLayers)
 * @param mlpOnlyLayers layers that run a dense MLP of {@code intermediate_size} instead of experts
 */
public record FamilyFeatures(
        ModelFamily family,
        boolean qkvBias,
        boolean outputBias,
        QkNorm qkNorm,
        OptionalDouble clipQkv,
        int expertIntermediateSize,
        int sharedExpertIntermediateSize,
        int decoderSparseStep,
        List<Integer> mlpOnlyLayers) {

    public FamilyFeatures {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(qkNorm, "qkNorm");
        Objects.requireNonNull(clipQkv, "clipQkv");
        mlpOnlyLayers = List.copyOf(mlpOnlyLayers);
        if (expertIntermediateSize <= 0) {
            throw new IllegalArgumentException("moe_intermediate_size must be positive, was " + expertIntermediateSize);
        }
        if (sharedExpertIntermediateSize < 0) {
            throw new IllegalArgumentException(
                    "shared_expert_intermediate_size must be positive (or 0 for none), was " + sharedExpertIntermediateSize);
        }
        if (decoderSparseStep <= 0) {
            throw new IllegalArgumentException("decoder_sparse_step must be positive, was " + decoderSparseStep);
        }
        if (clipQkv.isPresent() && !(clipQkv.getAsDouble() > 0 && Double.isFinite(clipQkv.getAsDouble()))) {
            throw new IllegalArgumentException("clip_qkv must be a positive finite number or null, was " + clipQkv.getAsDouble());
        }
    }

    /** Mixtral: no biases, no q/k norm, no clip, every layer sparse with experts of {@code intermediateSize}. */
    public static FamilyFeatures mixtral(int intermediateSize) {
        return new FamilyFeatures(ModelFamily.MIXTRAL, false, false, QkNorm.NONE, OptionalDouble.empty(),
                intermediateSize, 0, 1, List.of());
    }

    /** Whether layer {@code layer} routes to experts; otherwise it runs a dense MLP (Hugging Face's rule). */
    public boolean isSparse(int layer) {
        return !mlpOnlyLayers.contains(layer) && (layer + 1) % decoderSparseStep == 0;
    }

    /** Whether sparse layers add a shared expert, gated by a sigmoid, to the routed experts' sum. */
    public boolean hasSharedExpert() {
        return sharedExpertIntermediateSize > 0;
    }
}
