package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;

/**
 * Root-mean-square layer norm (Zhang and Sennrich 2019; HF {@code MixtralRMSNorm}):
 * {@code x / sqrt(mean(x²) + eps) * w}, computed in float32 for half types like Hugging Face does.
 */
final class RmsNorm {

    private final NDArray weight; // (hidden)
    // eps as a float32 scalar tensor made once, next to the weight: NDArray.addi(Number) would create one from a Java
    // value on every call, an upload that waits for the device on a GPU (ADR 0007) and a native call more on the CPU.
    private final NDArray eps; // ()
    private final float epsValue;
    private final ByteBuffer hostWeight; // the weight's memory for the host decode path; null where it cannot run

    RmsNorm(NDArray weight, float eps) {
        this.weight = weight;
        this.eps = weight.getManager().create(eps);
        this.epsValue = eps;
        this.hostWeight = HostMemory.viewable(weight) ? HostMemory.view(weight) : null;
    }

    /** Whether {@link #applyOnHost} can run (a float32 weight on the CPU, the Vector API present). */
    boolean onHost() {
        return hostWeight != null;
    }

    /** {@link #apply} of {@code n} rows {@code x (n, width)} in Java, each normalised on its own, into a new array. */
    float[] applyOnHost(float[] x, int n) {
        float[] out = new float[x.length];
        int width = x.length / n;
        for (int t = 0; t < n; t++) {
            applyOnHost(x, t * width, width, 0, out, t * width);
        }
        return out;
    }

    /**
     * {@link #apply} of {@code x[from, from + length)} with weights {@code [weightFrom, weightFrom + length)} (one
     * head of a per-head norm) into {@code out[outFrom, ..)}; {@code out} may be {@code x}. The mean of squares is
     * summed in double, then the same float32 steps as {@link #apply}: {@code x / sqrt(mean + eps) · w}.
     */
    void applyOnHost(float[] x, int from, int length, int weightFrom, float[] out, int outFrom) {
        double squares = 0;
        for (int i = 0; i < length; i++) {
            float v = x[from + i];
            squares += v * v;
        }
        float rms = (float) Math.sqrt((float) (squares / length) + epsValue);
        for (int i = 0; i < length; i++) {
            out[outFrom + i] = x[from + i] / rms * hostWeight.getFloat((weightFrom + i) * Float.BYTES);
        }
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
