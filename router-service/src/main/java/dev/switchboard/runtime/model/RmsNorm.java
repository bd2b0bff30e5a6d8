package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Root-mean-square layer norm (Zhang and Sennrich 2019; HF {@code MixtralRMSNorm}):
 * {@code x / sqrt(mean(x²) + eps) * w}, computed in float32 for half types like Hugging Face does.
 */
final class RmsNorm {

    private final NDArray weight; // (hidden)
    // eps as a float32 scalar tensor made once, next to the weight: NDArray.addi(Number) would create one from a Java
    // value on every call, an upload that waits for the device on a GPU (ADR 0007) and a native call more on the CPU.
    private final NDArray eps; // ()

    RmsNorm(NDArray weight, float eps) {
        this.weight = weight;
        this.eps = weight.getManager().create(eps);
    }

    /** {@code (tokens, hidden) -> (tokens, hidden)}. */
    NDArray apply(NDArray x) {
        DataType type = x.getDataType();
        NDArray x32 = isHalf(type) ? x.toType(DataType.FLOAT32, false) : x; // (tokens, hidden)
        NDArray rms = x32.square().mean(new int[] {-1}, true).addi(eps).sqrt(); // (tokens, 1)
        NDArray normed = x32.div(rms); // (tokens, hidden)
        if (isHalf(type)) {
            normed = normed.toType(type, false);
        }
        return normed.mul(weight); // (tokens, hidden)
    }

    /** FLOAT16/BFLOAT16: norms and softmaxes widen these to float32 (float64 in gradient checks stays float64). */
    static boolean isHalf(DataType type) {
        return type == DataType.FLOAT16 || type == DataType.BFLOAT16;
    }
}
