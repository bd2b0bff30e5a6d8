package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

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
                step.overrides(), step.deviceRows());
        step.record(index, moeInput, routed);
        return h.add(routed.output()); // out = h + moe(norm₂(h))
    }

    /** Whether {@link #decodeOnHost} can run: every part of the layer has its host form here. */
    boolean onHost() {
        return inputNorm.onHost() && attention.onHost() && postAttentionNorm.onHost() && moe.onHost();
    }

    /**
     * {@link #forward} of a host decode step's tokens {@code x (n, hidden)}, one per sequence, in Java: the same
     * equation with the same weights. The MoE input becomes a tensor once (in {@code manager}), as the experts take
     * tensors; it is recorded like {@link #forward}'s.
     */
    float[] decodeOnHost(float[] x, HostDecodeStep attentionStep, LayerStep step, NDManager manager) {
        int n = attentionStep.size();
        float[] attended = attention.decodeOnHost(inputNorm.applyOnHost(x, n), attentionStep, index);
        float[] h = new float[x.length];
        for (int i = 0; i < h.length; i++) {
            h[i] = x[i] + attended[i]; // h = x + attn(norm₁(x))
        }
        float[] moeInput = postAttentionNorm.applyOnHost(h, n);
        NDArray moeInputArray = manager.create(moeInput, new Shape(n, moeInput.length / n));
        float[] moeOutput = new float[h.length];
        MoeOutput routed = moe.forwardOnHost(moeInput, moeInputArray, step.experts().layer(index), step.phase(),
                step.faults(), step.overrides(), moeOutput);
        step.record(index, moeInputArray, routed);
        for (int i = 0; i < h.length; i++) {
            h[i] += moeOutput[i]; // out = h + moe(norm₂(h))
        }
        return h;
    }
}
