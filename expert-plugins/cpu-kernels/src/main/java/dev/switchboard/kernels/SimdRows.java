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

    /**
     * Four dot products of one row, {@code w[byteOffset, ..)} of {@code length} floats, with four vectors
     * {@code x[xOffset + k·xStride, ..)}, into {@code out[outOffset + k·outStride]}, {@code k} in {@code [0, 4)}: each
     * weight vector is loaded once for the four, and eight independent accumulators keep the multiply-adds busy.
     */
    static void dot4(ByteBuffer w, int byteOffset, float[] x, int xOffset, int xStride, int length, float[] out,
            int outOffset, int outStride) {
        int x0 = xOffset;
        int x1 = xOffset + xStride;
        int x2 = xOffset + 2 * xStride;
        int x3 = xOffset + 3 * xStride;
        FloatVector a0 = FloatVector.zero(FLOATS);
        FloatVector a1 = FloatVector.zero(FLOATS);
        FloatVector a2 = FloatVector.zero(FLOATS);
        FloatVector a3 = FloatVector.zero(FLOATS);
        FloatVector b0 = FloatVector.zero(FLOATS);
        FloatVector b1 = FloatVector.zero(FLOATS);
        FloatVector b2 = FloatVector.zero(FLOATS);
        FloatVector b3 = FloatVector.zero(FLOATS);
        int i = 0;
        for (int end = length - 2 * LANES; i <= end; i += 2 * LANES) {
            int at = byteOffset + i * Float.BYTES;
            FloatVector w0 = FloatVector.fromByteBuffer(FLOATS, w, at, ORDER);
            FloatVector w1 = FloatVector.fromByteBuffer(FLOATS, w, at + LANES * Float.BYTES, ORDER);
            a0 = w0.fma(FloatVector.fromArray(FLOATS, x, x0 + i), a0);
            a1 = w0.fma(FloatVector.fromArray(FLOATS, x, x1 + i), a1);
            a2 = w0.fma(FloatVector.fromArray(FLOATS, x, x2 + i), a2);
            a3 = w0.fma(FloatVector.fromArray(FLOATS, x, x3 + i), a3);
            b0 = w1.fma(FloatVector.fromArray(FLOATS, x, x0 + i + LANES), b0);
            b1 = w1.fma(FloatVector.fromArray(FLOATS, x, x1 + i + LANES), b1);
            b2 = w1.fma(FloatVector.fromArray(FLOATS, x, x2 + i + LANES), b2);
            b3 = w1.fma(FloatVector.fromArray(FLOATS, x, x3 + i + LANES), b3);
        }
        for (int end = length - LANES; i <= end; i += LANES) {
            FloatVector w0 = FloatVector.fromByteBuffer(FLOATS, w, byteOffset + i * Float.BYTES, ORDER);
            a0 = w0.fma(FloatVector.fromArray(FLOATS, x, x0 + i), a0);
            a1 = w0.fma(FloatVector.fromArray(FLOATS, x, x1 + i), a1);
            a2 = w0.fma(FloatVector.fromArray(FLOATS, x, x2 + i), a2);
            a3 = w0.fma(FloatVector.fromArray(FLOATS, x, x3 + i), a3);
        }
        float s0 = a0.add(b0).reduceLanes(VectorOperators.ADD);
        float s1 = a1.add(b1).reduceLanes(VectorOperators.ADD);
        float s2 = a2.add(b2).reduceLanes(VectorOperators.ADD);
        float s3 = a3.add(b3).reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            float v = w.getFloat(byteOffset + i * Float.BYTES);
            s0 += v * x[x0 + i];
            s1 += v * x[x1 + i];
            s2 += v * x[x2 + i];
            s3 += v * x[x3 + i];
        }
        out[outOffset] = s0;
        out[outOffset + outStride] = s1;
        out[outOffset + 2 * outStride] = s2;
        out[outOffset + 3 * outStride] = s3;
    }

    /** Floats in one vector of the machine's widest kind. */
    static int lanes() {
        return LANES;
    }

    /**
     * Four tokens times a block of {@code 4·LANES} columns of rows {@code [rowFrom, rowTo)} of a row-major float32
     * matrix with {@code columns} columns: {@code y[yOffset + k·yStride + c0 + i] = Σ_r x[xOffset + k·xStride + r -
     * rowFrom] · w[r, c0 + i]}, {@code k} in {@code [0, 4)}. The sixteen sums stay in registers while the rows go by,
     * and each weight vector is loaded once for the four tokens; the outputs are written, not added to.
     */
    static void combine4(ByteBuffer w, int rowFrom, int rowTo, int columns, int c0, float[] x, int xOffset,
            int xStride, float[] y, int yOffset, int yStride) {
        FloatVector a0 = FloatVector.zero(FLOATS), a1 = a0, a2 = a0, a3 = a0; // token 0, its four vectors
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0; // token 1
        FloatVector c0v = a0, c1 = a0, c2 = a0, c3 = a0; // token 2
        FloatVector d0 = a0, d1 = a0, d2 = a0, d3 = a0; // token 3
        int x0 = xOffset - rowFrom;
        int x1 = x0 + xStride;
        int x2 = x0 + 2 * xStride;
        int x3 = x0 + 3 * xStride;
        int step = LANES * Float.BYTES;
        for (int r = rowFrom; r < rowTo; r++) {
            int at = (r * columns + c0) * Float.BYTES;
            FloatVector w0 = FloatVector.fromByteBuffer(FLOATS, w, at, ORDER);
            FloatVector w1 = FloatVector.fromByteBuffer(FLOATS, w, at + step, ORDER);
            FloatVector w2 = FloatVector.fromByteBuffer(FLOATS, w, at + 2 * step, ORDER);
            FloatVector w3 = FloatVector.fromByteBuffer(FLOATS, w, at + 3 * step, ORDER);
            FloatVector s = FloatVector.broadcast(FLOATS, x[x0 + r]);
            a0 = w0.fma(s, a0);
            a1 = w1.fma(s, a1);
            a2 = w2.fma(s, a2);
            a3 = w3.fma(s, a3);
            s = FloatVector.broadcast(FLOATS, x[x1 + r]);
            b0 = w0.fma(s, b0);
            b1 = w1.fma(s, b1);
            b2 = w2.fma(s, b2);
            b3 = w3.fma(s, b3);
            s = FloatVector.broadcast(FLOATS, x[x2 + r]);
            c0v = w0.fma(s, c0v);
            c1 = w1.fma(s, c1);
            c2 = w2.fma(s, c2);
            c3 = w3.fma(s, c3);
            s = FloatVector.broadcast(FLOATS, x[x3 + r]);
            d0 = w0.fma(s, d0);
            d1 = w1.fma(s, d1);
            d2 = w2.fma(s, d2);
            d3 = w3.fma(s, d3);
        }
        int y0 = yOffset + c0;
        a0.intoArray(y, y0);
        a1.intoArray(y, y0 + LANES);
        a2.intoArray(y, y0 + 2 * LANES);
        a3.intoArray(y, y0 + 3 * LANES);
        int y1 = y0 + yStride;
        b0.intoArray(y, y1);
        b1.intoArray(y, y1 + LANES);
        b2.intoArray(y, y1 + 2 * LANES);
        b3.intoArray(y, y1 + 3 * LANES);
        int y2 = y0 + 2 * yStride;
        c0v.intoArray(y, y2);
        c1.intoArray(y, y2 + LANES);
        c2.intoArray(y, y2 + 2 * LANES);
        c3.intoArray(y, y2 + 3 * LANES);
        int y3 = y0 + 3 * yStride;
        d0.intoArray(y, y3);
        d1.intoArray(y, y3 + LANES);
        d2.intoArray(y, y3 + 2 * LANES);
        d3.intoArray(y, y3 + 3 * LANES);
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
