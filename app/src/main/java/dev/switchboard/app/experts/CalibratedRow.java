package dev.switchboard.app.experts;

import java.util.Arrays;

/**
 * One router row for a new expert of one layer, from the hidden states of calibration tokens at that layer's
 * MoE input, such that the untrained row <em>rarely</em> wins a top-k place on its own:
 *
 * <pre>
 *   x_t   hidden state of calibration token t at the MoE input           t = 1..T, [dModel]
 *   u     = m / ‖m‖, m = mean_t x_t                                       the direction: where the tokens sit
 *   a_t   = u · x_t                                                       token t's reach along u
 *   θ_t   = k-th largest of W_g[e] · x_t over the enabled experts e       the logit to beat for a top-k place
 *   wins(s) = #{t : s · a_t > θ_t}                                        places the row s·u would take
 *   s     = the largest s in [0, mean_e ‖W_g[e]‖] with wins(s) ≤ ⌊share · T⌋
 *   row   = s · u
 * </pre>
 *
 * The direction keeps tokens like the calibration text scoring highest for the new expert, so the selection
 * bias, which is what gives the expert traffic, lifts those tokens first. Pointing the row straight at the
 * tokens at the trained rows' norm (the earlier rule) made it the best match for most tokens: it won 70 % of
 * the places at bias 0 on the test model. The scale is measured on the calibration tokens themselves, the
 * ones the row is most aligned with.
 *
 * <p>The floor: where a token's k-th logit is negative, even the zero row (logit 0) takes a place, and no
 * row that keeps pointing at the tokens can avoid it (a negative scale would make tokens like the calibration
 * text score lowest). How often that happens depends on the router: for four random logits and k = 2 it is
 * 5 of 16 tokens, which is why the test model (a random router) still gives the row 31 % of the places.
 */
final class CalibratedRow {

    /** Most calibration tokens, as a share, at which the row may take a top-k place by itself. */
    static final double WIN_SHARE = 0.05;

    private CalibratedRow() {}

    /**
     * @param inputs the calibration tokens' hidden states, row-major {@code [T, dModel]}
     * @param gate the layer's existing router rows, row-major {@code [E, dModel]}
     * @param disabled which of the E experts are masked out of routing
     * @param k experts per token
     * @return the new row, {@code [dModel]}
     */
    static float[] of(float[] inputs, float[] gate, boolean[] disabled, int k, int dModel) {
        int tokens = inputs.length / dModel;
        int experts = gate.length / dModel;
        double[] mean = new double[dModel];
        for (int t = 0; t < tokens; t++) {
            for (int c = 0; c < dModel; c++) {
                mean[c] += inputs[t * dModel + c] / (double) tokens;
            }
        }
        double length = Math.sqrt(dot(mean, mean));
        if (length == 0 || tokens == 0) {
            return new float[dModel]; // no direction: the expert is selected by its bias alone
        }
        double[] reach = new double[tokens]; // a_t
        double[] toBeat = new double[tokens]; // θ_t
        double[] logits = new double[experts];
        for (int t = 0; t < tokens; t++) {
            int n = 0;
            for (int e = 0; e < experts; e++) {
                if (!disabled[e]) {
                    logits[n++] = dot(gate, e * dModel, inputs, t * dModel, dModel);
                }
            }
            double[] enabled = Arrays.copyOf(logits, n);
            Arrays.sort(enabled);
            toBeat[t] = n < k ? Double.NEGATIVE_INFINITY : enabled[n - k];
            double along = 0;
            for (int c = 0; c < dModel; c++) {
                along += mean[c] / length * inputs[t * dModel + c];
            }
            reach[t] = along;
        }
        double scale = largestScale(reach, toBeat, (int) Math.floor(WIN_SHARE * tokens), meanRowNorm(gate, experts, dModel));
        float[] row = new float[dModel];
        for (int c = 0; c < dModel; c++) {
            row[c] = (float) (mean[c] / length * scale);
        }
        return row;
    }

    /** The largest s in [0, cap] with at most {@code allowed} tokens where s · a_t > θ_t. */
    private static double largestScale(double[] reach, double[] toBeat, int allowed, double cap) {
        // wins(s) changes only where s · a_t = θ_t: try those points (just below each) and the cap, largest first.
        double[] candidates = new double[reach.length + 1];
        int n = 0;
        candidates[n++] = cap;
        for (int t = 0; t < reach.length; t++) {
            if (reach[t] > 0 && toBeat[t] > 0 && toBeat[t] / reach[t] < cap) {
                candidates[n++] = Math.nextDown(toBeat[t] / reach[t]);
            }
        }
        double[] sorted = Arrays.copyOf(candidates, n);
        Arrays.sort(sorted);
        for (int i = sorted.length - 1; i >= 0; i--) {
            if (wins(sorted[i], reach, toBeat) <= allowed) {
                return sorted[i];
            }
        }
        return 0; // even a zero row beats too many tokens' k-th logit (they are negative there): bias decides alone
    }

    private static int wins(double scale, double[] reach, double[] toBeat) {
        int wins = 0;
        for (int t = 0; t < reach.length; t++) {
            wins += scale * reach[t] > toBeat[t] ? 1 : 0;
        }
        return wins;
    }

    /** Mean L2 norm of the rows of a row-major {@code [rows, dModel]} gate. */
    private static double meanRowNorm(float[] gate, int rows, int dModel) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double square = dot(gate, r * dModel, gate, r * dModel, dModel);
            sum += Math.sqrt(square);
        }
        return rows == 0 ? 1 : sum / rows;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double dot(float[] a, int aFrom, float[] b, int bFrom, int length) {
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += (double) a[aFrom + i] * b[bFrom + i];
        }
        return sum;
    }
}
