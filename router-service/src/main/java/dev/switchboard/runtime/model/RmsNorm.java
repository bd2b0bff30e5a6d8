package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Root-mean-square layer norm (Zhang and Sennrich 2019; HF {@code MixtralRMSNorm}):
 * {@code x / sqrt(mean(x²) + eps) * w}, computed in float32 like Hugging Face does for half types.
 */
final class RmsNorm {

    private final NDArray weight; // (hidden)
    private final float eps;

    RmsNorm(NDArray weight, float eps) {
        this.weight = weight;
        this.eps = eps;
    }

    /** {@code (tokens, hidden) -> (tokens, hidden)}. */
    NDArray apply(NDArray x) {
        DataType type = x.getDataType();
        NDArray x32 = type == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false); // (tokens, hidden)
        NDArray rms = x32.square().mean(new int[] {-1}, true).addi(eps).sqrt(); // (tokens, 1)
        NDArray normed = x32.div(rms); // (tokens, hidden)
        if (type != DataType.FLOAT32) {
            normed = normed.toType(type, false);
        }
        return normed.muli(weight); // (tokens, hidden)
    }
}
