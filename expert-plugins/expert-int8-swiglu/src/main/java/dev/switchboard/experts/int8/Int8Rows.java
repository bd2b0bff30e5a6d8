package dev.switchboard.experts.int8;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * One matrix quantised per output channel, stored the way forward uses it: {@code x · W} with
 * {@code W ≈ qᵀ · diag(scale)}, so the scale is applied to the matmul result, column by column, rather
 * than to every weight.
 *
 * @param transposedValues int8 values, {@code [in, out]}
 * @param scales float32 scale per output channel, {@code [1, out]}
 */
record Int8Rows(NDArray transposedValues, NDArray scales) {

    private static final float LEVELS = 127f;

    /**
     * Quantises {@code weight} ({@code [out, in]}, caller-owned, left untouched) into arrays owned by
     * {@code owner}; the scales are kept in {@code workingType}, the activations' type.
     */
    static Int8Rows quantise(NDArray weight, DataType workingType, NDManager owner) {
        // Work on a float32 copy in a scratch manager so that no temporary lands in the caller's or
        // the owner's manager.
        try (NDManager scratch = NDManager.newBaseManager(weight.getDevice())) {
            NDArray w = weight.toType(DataType.FLOAT32, true); // (out, in)
            w.attach(scratch);
            NDArray absMax = w.abs().max(new int[] {1}, true); // (out, 1)
            // An all-zero row would give scale 0 and 0/0; any positive scale represents it exactly.
            NDArray scale = absMax.div(LEVELS).maximum(Float.MIN_NORMAL); // (out, 1)
            NDArray values = w.div(scale).round().clip(-LEVELS, LEVELS).toType(DataType.INT8, false); // (out, in)
            NDArray transposed = values.transpose().duplicate(); // (in, out)
            NDArray scalesRow = scale.transpose().toType(workingType, true); // (1, out)
            transposed.attach(owner);
            scalesRow.attach(owner);
            return new Int8Rows(transposed, scalesRow);
        }
    }

    /** {@code x · W} for {@code x} {@code [n, in]}: dequantises on the fly into a temporary that is freed here. */
    NDArray multiply(NDArray x) { // (n, in)
        try (NDArray dequantised = transposedValues.toType(x.getDataType(), false); // (in, out), no scale yet
                NDArray unscaled = x.matMul(dequantised)) { // (n, out)
            return unscaled.mul(scales); // (n, out)
        }
    }

    /** Bytes held: one per value plus one working-type number per scale. */
    long memoryBytes() {
        return transposedValues.size() + scales.size() * scales.getDataType().getNumOfBytes();
    }
}
