package dev.switchboard.runtime.training;

import dev.switchboard.runtime.routing.RoutingDecision;

/**
 * Host-side dispatch of one batch's top-k routing: which rows each expert gets (in row order) and where row r's k
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

    /**
     * The dispatch of a top-k {@code decision} (the serving router's own choice, so training routes exactly as
     * the server does): every row has its k experts, first choice first.
     */
    static Dispatch of(RoutingDecision decision) {
        int rows = decision.tokens();
        int experts = decision.numExperts();
        int k = decision.expertCount(0);
        int[] counts = new int[experts];
        float[] keptMask = new float[rows * experts];
        for (int row = 0; row < rows; row++) {
            if (decision.expertCount(row) != k) {
                throw new IllegalArgumentException("training dispatch needs k experts for every row; row " + row
                        + " has " + decision.expertCount(row));
            }
            for (int slot = 0; slot < k; slot++) {
                int expert = decision.experts()[row * k + slot];
                counts[expert]++;
                keptMask[row * experts + expert] = 1f;
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
                int expert = decision.experts()[row * k + slot];
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
