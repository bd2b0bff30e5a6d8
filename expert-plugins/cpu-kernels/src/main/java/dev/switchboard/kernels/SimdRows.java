package dev.switchboard.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API bodies of {@link VectorKernels}; loaded only when the incubator module is present, so no other
 * class refers to a {@code jdk.incubator.vector} type. Lanes are the machine's widest (16 floats with AVX-512,
 * 8 with AVX2); tails shorter than a vector run in scalar code.
 */
final class SimdRows {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    /** As many bytes as {@link #FLOATS} has lanes, widened to floats in one conversion. */
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(FLOATS.length() * Byte.SIZE));
    private static final int LANES = FLOATS.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private SimdRows() {}

    static float dot(ByteBuffer w, int byteOffset, float[] x, int xOffset, int length) {
        // Four accumulators: one fused multiply-add chain would wait on its own latency every step.
        FloatVector a0 = FloatVector.zero(FLOATS);
        FloatVector a1 = FloatVector.zero(FLOATS);
        FloatVector a2 = FloatVector.zero(FLOATS);
        FloatVector a3 = FloatVector.zero(FLOATS);
        int i = 0;
        for (int end = length - 4 * LANES; i <= end; i += 4 * LANES) {
            int at = byteOffset + i * Float.BYTES;
            a0 = FloatVector.fromByteBuffer(FLOATS, w, at, ORDER).fma(FloatVector.fromArray(FLOATS, x, xOffset + i), a0);
            a1 = FloatVector.fromByteBuffer(FLOATS, w, at + LANES * Float.BYTES, ORDER).fma(FloatVector.fromArray(FLOATS, x, xOffset + i + LANES), a1);
            a2 = FloatVector.fromByteBuffer(FLOATS, w, at + 2 * LANES * Float.BYTES, ORDER).fma(FloatVector.fromArray(FLOATS, x, xOffset + i + 2 * LANES), a2);
            a3 = FloatVector.fromByteBuffer(FLOATS, w, at + 3 * LANES * Float.BYTES, ORDER).fma(FloatVector.fromArray(FLOATS, x, xOffset + i + 3 * LANES), a3);
        }
        for (int end = length - LANES; i <= end; i += LANES) {
            a0 = FloatVector.fromByteBuffer(FLOATS, w, byteOffset + i * Float.BYTES, ORDER).fma(FloatVector.fromArray(FLOATS, x, xOffset + i), a0);
        }
        float sum = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            sum += w.getFloat(byteOffset + i * Float.BYTES) * x[xOffset + i];
        }
        return sum;
    }

    static float dotInt8(ByteBuffer q, int offset, float[] x, int xOffset, int length) {
        FloatVector a0 = FloatVector.zero(FLOATS);
        FloatVector a1 = FloatVector.zero(FLOATS);
        int i = 0;
        for (int end = length - 2 * LANES; i <= end; i += 2 * LANES) {
            a0 = widened(q, offset + i).fma(FloatVector.fromArray(FLOATS, x, xOffset + i), a0);
            a1 = widened(q, offset + i + LANES).fma(FloatVector.fromArray(FLOATS, x, xOffset + i + LANES), a1);
        }
        for (int end = length - LANES; i <= end; i += LANES) {
            a0 = widened(q, offset + i).fma(FloatVector.fromArray(FLOATS, x, xOffset + i), a0);
        }
        float sum = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            sum += q.get(offset + i) * x[xOffset + i];
        }
        return sum;
    }

    static void axpy(float a, ByteBuffer w, int byteOffset, float[] y, int yOffset, int length) {
        FloatVector scale = FloatVector.broadcast(FLOATS, a);
        int i = 0;
        for (int end = length - LANES; i <= end; i += LANES) {
            FloatVector.fromByteBuffer(FLOATS, w, byteOffset + i * Float.BYTES, ORDER)
                    .fma(scale, FloatVector.fromArray(FLOATS, y, yOffset + i))
                    .intoArray(y, yOffset + i);
        }
        for (; i < length; i++) {
            y[yOffset + i] += a * w.getFloat(byteOffset + i * Float.BYTES);
        }
    }

    static void axpyInt8(float a, ByteBuffer q, int offset, float[] y, int yOffset, int length) {
        FloatVector scale = FloatVector.broadcast(FLOATS, a);
        int i = 0;
        for (int end = length - LANES; i <= end; i += LANES) {
            widened(q, offset + i).fma(scale, FloatVector.fromArray(FLOATS, y, yOffset + i)).intoArray(y, yOffset + i);
        }
        for (; i < length; i++) {
            y[yOffset + i] += a * q.get(offset + i);
        }
    }

    /** {@code gate[i] = silu(gate[i]) · up[i]} for {@code i} in {@code [0, length)}; silu(g) = g / (1 + e^-g). */
    static void siluTimes(float[] gate, float[] up, int length) {
        FloatVector one = FloatVector.broadcast(FLOATS, 1f);
        int i = 0;
        for (int end = length - LANES; i <= end; i += LANES) {
            FloatVector g = FloatVector.fromArray(FLOATS, gate, i);
            FloatVector e = g.neg().lanewise(VectorOperators.EXP);
            g.div(e.add(one)).mul(FloatVector.fromArray(FLOATS, up, i)).intoArray(gate, i);
        }
        for (; i < length; i++) {
            gate[i] = (float) (gate[i] / (1 + Math.exp(-gate[i]))) * up[i];
        }
    }

    private static FloatVector widened(ByteBuffer q, int offset) {
        return (FloatVector) ByteVector.fromByteBuffer(BYTES, q, offset, ORDER).convertShape(VectorOperators.B2F, FLOATS, 0);
    }
}
