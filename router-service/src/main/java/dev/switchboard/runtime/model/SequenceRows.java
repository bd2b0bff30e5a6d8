package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Which of a step's rows belong to which sequence, for summing per-token quantities per sequence on the device
 * ({@link DeviceTopK}). A decode step (one row per sequence) sums nothing; a step with longer inputs multiplies by a
 * {@code (sequences, tokens)} 0/1 matrix, uploaded once per step, when the first layer needs it.
 */
final class SequenceRows {

    private final int[] counts; // per sequence, its rows (consecutive, in sequence order)
    private final int tokens;
    private final boolean oneRowEach;
    private NDArray membership; // (sequences, tokens), made on first use on the step's manager

    SequenceRows(StepBatch batch) {
        counts = new int[batch.size()];
        int total = 0;
        boolean ones = true;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = batch.count(i);
            total += counts[i];
            ones &= counts[i] == 1;
        }
        tokens = total;
        oneRowEach = ones;
    }

    /** {@code perToken (tokens, n)} summed over each sequence's rows: {@code (sequences, n)}, on the device. */
    NDArray sum(NDArray perToken) {
        if (oneRowEach) {
            return perToken; // one row per sequence
        }
        if (membership == null) {
            float[] matrix = new float[counts.length * tokens];
            int row = 0;
            for (int i = 0; i < counts.length; i++) {
                for (int j = 0; j < counts[i]; j++, row++) {
                    matrix[i * tokens + row] = 1f;
                }
            }
            membership = perToken.getManager().create(matrix, new Shape(counts.length, tokens));
        }
        return membership.dot(perToken);
    }
}
