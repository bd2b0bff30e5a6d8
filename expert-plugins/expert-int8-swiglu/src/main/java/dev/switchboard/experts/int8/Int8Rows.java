package dev.switchboard.experts.int8;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.switchboard.kernels.WeightRows;

/**
 * One matrix quantised per output channel (symmetric, {@code scale = max|row| / 127}), stored as int8 with one row
 * per inner unit of the expert, the layout {@link dev.switchboard.kernels.SwiGluKernel} reads: the Hugging Face
 * {@code [out, in]} matrix itself for w1 and w3 (scale per row), its transpose {@code [in, out]} for w2 (scale per
 * column). The kernel multiplies the int8 values directly; {@link #multiply} is the path without the Vector API.
 */
final class Int8Rows {

    private static final float LEVELS = 127f;

    private final NDArray values; // int8, (out, in), or (in, out) when transposed
    private final NDArray scales; // working type, (1, out)
    private final float[] scaleValues; // the same scales, for the kernel
    private final boolean transposed;

    private Int8Rows(NDArray values, NDArray scales, boolean transposed) {
        this.values = values;
        this.scales = scales;
        this.scaleValues = scales.toType(DataType.FLOAT32, true).toFloatArray();
        this.transposed = transposed;
    }

    /**
     * Quantises {@code weight} ({@code [out, in]}, caller-owned, left untouched) into arrays owned by
     * {@code owner}, transposed to {@code [in, out]} or not; the scales are kept in {@code workingType}.
     */
    static Int8Rows quantise(NDArray weight, boolean transpose, DataType workingType, NDManager owner) {
        // Work on a float32 copy in a scratch manager so that no temporary lands in the caller's or
        // the owner's manager.
        try (NDManager scratch = NDManager.newBaseManager(weight.getDevice())) {
            NDArray w = weight.toType(DataType.FLOAT32, true); // (out, in)
            w.attach(scratch);
            NDArray absMax = w.abs().max(new int[] {1}, true); // (out, 1)
            // An all-zero row would give scale 0 and 0/0; any positive scale represents it exactly.
            NDArray scale = absMax.div(LEVELS).maximum(Float.MIN_NORMAL); // (out, 1)
            NDArray quantised = w.div(scale).round().clip(-LEVELS, LEVELS).toType(DataType.INT8, false); // (out, in)
            NDArray values = transpose ? quantised.transpose().duplicate() : quantised.duplicate(); // contiguous
            NDArray scalesRow = scale.transpose().toType(workingType, true); // (1, out)
            values.attach(owner);
            scalesRow.attach(owner);
            return new Int8Rows(values, scalesRow, transpose);
        }
    }

    /** int8 values as stored: {@code (out, in)}, or {@code (in, out)} when transposed. */
    NDArray values() {
        return values;
    }

    /** One scale per output channel, {@code (1, out)}. */
    NDArray scales() {
        return scales;
    }

    /** The kernel's view of the same memory (CPU only): rows are inner units, the scales where they apply. */
    WeightRows kernelRows() {
        int rows = Math.toIntExact(values.getShape().get(0));
        int columns = Math.toIntExact(values.getShape().get(1));
        return transposed
                ? WeightRows.int8(values.toByteBuffer(true), rows, columns, null, scaleValues)
                : WeightRows.int8(values.toByteBuffer(true), rows, columns, scaleValues, null);
    }

    /**
     * {@code x · W} for {@code x} {@code [n, in]} with PyTorch (no Vector API, or not on the CPU): dequantises a
     * temporary float copy of the matrix, freed here.
     */
    NDArray multiply(NDArray x) { // (n, in)
        try (NDArray dequantised = values.toType(x.getDataType(), false); // no scale yet
                NDArray inOut = transposed ? dequantised.duplicate() : dequantised.transpose(); // (in, out)
                NDArray unscaled = x.matMul(inOut)) { // (n, out)
            return unscaled.mul(scales); // (n, out)
        }
    }

    /** Bytes held: one per value plus one working-type number per scale. */
    long memoryBytes() {
        return values.size() + scales.size() * scales.getDataType().getNumOfBytes();
    }
}
