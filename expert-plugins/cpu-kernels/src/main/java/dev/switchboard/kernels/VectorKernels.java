package dev.switchboard.kernels;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Dot products and scaled additions of one weight row (float32 or int8, in native memory) with float32
 * activations, written with Java's Vector API ({@code jdk.incubator.vector}, an incubator module in Java 17).
 *
 * <p>The module is only in the JVM when it was started with {@code --add-modules jdk.incubator.vector}
 * (the launch script, the Dockerfile and the test configuration pass it; a jar manifest cannot add a module).
 * Without it {@link #available()} is false and callers keep their PyTorch path. The system property
 * {@code switchboard.java-kernels=false} turns the kernels off as well, to compare both paths in one build.
 */
public final class VectorKernels {

    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equalsIgnoreCase(System.getProperty("switchboard.java-kernels"));

    /**
     * The expert option ({@code ExpertSpec.options}) understood by the kinds that use these kernels: {@code "false"}
     * keeps every product of those experts on PyTorch. Training sets it: a kernel computes outside the autograd
     * graph, and a training step's inputs are not reliably marked as recording gradients.
     */
    public static final String EXPERT_OPTION = "java-kernels";

    private VectorKernels() {}

    /** Whether the kernels are {@link #available()} and {@code options} does not turn them off ({@link #EXPERT_OPTION}). */
    public static boolean allowedBy(Map<String, String> options) {
        return AVAILABLE && !"false".equalsIgnoreCase(options.get(EXPERT_OPTION));
    }

    /** Whether the Vector API is in this JVM and the kernels are not turned off. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** {@code Σ w[i]·x[xOffset+i]} over {@code length} float32 weights starting at byte {@code byteOffset} of {@code w}. */
    public static float dot(ByteBuffer w, int byteOffset, float[] x, int xOffset, int length) {
        return SimdRows.dot(w, byteOffset, x, xOffset, length);
    }

    /**
     * {@link #dot} of one float32 row with four vectors at once, {@code x[xOffset + k·xStride, ..)}, into
     * {@code out[outOffset + k·outStride]} for {@code k} in {@code [0, 4)}; the row is read once for the four.
     */
    public static void dot4(ByteBuffer w, int byteOffset, float[] x, int xOffset, int xStride, int length, float[] out,
            int outOffset, int outStride) {
        SimdRows.dot4(w, byteOffset, x, xOffset, xStride, length, out, outOffset, outStride);
    }

    /** {@code Σ q[i]·x[xOffset+i]} over {@code length} int8 weights starting at byte {@code offset} of {@code q}. */
    public static float dotInt8(ByteBuffer q, int offset, float[] x, int xOffset, int length) {
        return SimdRows.dotInt8(q, offset, x, xOffset, length);
    }

    /** {@code y[yOffset+i] += a·w[i]} over {@code length} float32 weights starting at byte {@code byteOffset} of {@code w}. */
    public static void axpy(float a, ByteBuffer w, int byteOffset, float[] y, int yOffset, int length) {
        SimdRows.axpy(a, w, byteOffset, y, yOffset, length);
    }

    /** {@code gate[i] = silu(gate[i]) · up[i]} for {@code i} in {@code [0, length)}, SwiGLU's gating. */
    public static void siluTimes(float[] gate, float[] up, int length) {
        SimdRows.siluTimes(gate, up, length);
    }

    /** {@code y[yOffset+i] += a·q[i]} over {@code length} int8 weights starting at byte {@code offset} of {@code q}. */
    public static void axpyInt8(float a, ByteBuffer q, int offset, float[] y, int yOffset, int length) {
        SimdRows.axpyInt8(a, q, offset, y, yOffset, length);
    }
}
