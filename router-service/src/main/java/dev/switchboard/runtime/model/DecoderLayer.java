package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;

/**
 * One Mixtral decoder layer (HF {@code MixtralDecoderLayer}), pre-norm residual:
 * {@code h = x + attention(norm₁(x)); out = h + moe(norm₂(h))}. The layer's experts live in the
 * {@link ExpertTable}, not here, so they can be swapped while the model runs; the step hands them in.
 */
final class DecoderLayer {

    private final int index;
    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final MoeLayer moe;

    DecoderLayer(int index, RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm, MoeLayer moe) {
        this.index = index;
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.moe = moe;
    }

    /** {@code x (tokens, hidden) -> (tokens, hidden)}; the MoE's routing goes to {@code step}'s record. */
    NDArray forward(NDArray x, AttentionStep attentionStep, LayerStep step) {
        NDArray h = x.add(attention.forward(inputNorm.apply(x), attentionStep, index)); // h = x + attn(norm₁(x))
        NDArray moeInput = postAttentionNorm.apply(h); // (tokens, hidden)
        MoeOutput routed = moe.forward(moeInput, step.experts().layer(index), step.phase(), step.faults(),
                step.overrides());
        step.record(index, moeInput, routed);
        return h.add(routed.output()); // out = h + moe(norm₂(h))
    }
}
