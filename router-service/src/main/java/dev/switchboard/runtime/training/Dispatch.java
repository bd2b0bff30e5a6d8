package dev.switchboard.runtime.training;

/**
 * Host-side top-k routing of one batch: which rows each expert gets (in row order) and where row r's k
 * expert outputs land in the expert-ordered concatenation of all expert outputs.
 */
final class Dispatch {

    private final int[][] rowsByExpert;
    private final long[] slotsByRow;
    private final float[] keptMask;
    private final int selections;

    private Dispatch(int[][] rowsByExpert, long[] slotsByRow, float[] keptMask, int selections) {
        this.rowsByExpert = rowsByExpert;
        this.slotsByRow = slotsByRow;
        this.keptMask = keptMask;
        this.selections = selections;
    }

    /** Top-k of each row of {@code probabilities} ({@code [rows, experts]} row-major); ties go to the lower id. */
    static Dispatch topK(float[] probabilities, int rows, int experts, int k) {
        int[][] chosen = new int[rows][k];
        int[] counts = new int[experts];
        float[] keptMask = new float[rows * experts];
        for (int row = 0; row < rows; row++) {
            boolean[] taken = new boolean[experts];
            for (int slot = 0; slot < k; slot++) {
                int best = -1;
                for (int expert = 0; expert < experts; expert++) {
                    if (!taken[expert] && (best < 0
                            || probabilities[row * experts + expert] > probabilities[row * experts + best])) {
                        best = expert;
                    }
                }
                taken[best] = true;
                chosen[row][slot] = best;
                counts[best]++;
                keptMask[row * experts + best] = 1f;
            }
        }
        int[][] rowsByExpert = new int[experts][];
        int[] offsets = new int[experts];
        int offset = 0;
        for (int expert = 0; expert < experts; expert++) {
            rowsByExpert[expert] = new int[counts[expert]];
            offsets[expert] = offset;
            offset += counts[expert];
        }
        int[] filled = new int[experts];
        long[] slotsByRow = new long[rows * k];
        for (int row = 0; row < rows; row++) {
            for (int slot = 0; slot < k; slot++) {
                int expert = chosen[row][slot];
                rowsByExpert[expert][filled[expert]] = row;
                slotsByRow[row * k + slot] = offsets[expert] + filled[expert];
                filled[expert]++;
            }
        }
        return new Dispatch(rowsByExpert, slotsByRow, keptMask, rows * k);
    }

    int[] rowsOf(int expert) {
        return rowsByExpert[expert];
    }

    /** For row r and slot s, the index of that expert output in the expert-ordered concatenation. */
    long[] slotsByRow() {
        return slotsByRow;
    }

    /** 1 where a row keeps an expert, else 0 ({@code [rows, experts]} row-major). */
    float[] keptMask() {
        return keptMask;
    }

    /** Share of all k·rows selections that went to each expert (sums to 1). */
    float[] fractionPerExpert() {
        float[] fraction = new float[rowsByExpert.length];
        for (int expert = 0; expert < fraction.length; expert++) {
            fraction[expert] = rowsByExpert[expert].length / (float) selections;
        }
        return fraction;
    }
}
