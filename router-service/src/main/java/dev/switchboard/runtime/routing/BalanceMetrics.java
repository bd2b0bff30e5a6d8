package dev.switchboard.runtime.routing;

/**
 * Load-balance measures of one layer over one period, from per-expert totals. Formulas and papers in
 * docs/MOE.md#balance-metrics. "Load" is the tokens an expert received (any of the
 * top-k; the count Shazeer's Load(X) approximates), "importance" the summed router probability.
 * The statistics API and the {@code eval} tool report the same gauges from this code.
 */
public final class BalanceMetrics {

    private BalanceMetrics() {}

    /** Coefficient of variation std/mean, population std (Shazeer et al. 2017); 0 when the mean is 0. */
    public static double coefficientOfVariation(double[] x) {
        double mean = mean(x);
        if (mean == 0) return 0;
        double squares = 0;
        for (double v : x) squares += (v - mean) * (v - mean);
        return Math.sqrt(squares / x.length) / mean;
    }

    /** max/mean load (Shazeer et al. 2017, Table 6); 1 is perfect balance. */
    public static double maxOverMean(double[] x) {
        double mean = mean(x);
        return mean == 0 ? 0 : max(x) / mean;
    }

    /** MaxVio = (max_i Load_i − mean Load) / mean Load (Wang et al. 2024, Loss-Free Balancing). */
    public static double maxViolation(double[] x) {
        double mean = mean(x);
        return mean == 0 ? 0 : (max(x) - mean) / mean;
    }

    /** Jain's fairness index (Σx)² / (N·Σx²); 1 is perfect balance, 1/N all on one expert. */
    public static double jainIndex(double[] x) {
        double sum = 0;
        double squares = 0;
        for (double v : x) {
            sum += v;
            squares += v * v;
        }
        return squares == 0 ? 0 : sum * sum / (x.length * squares);
    }

    /** Fraction of experts that received no token. */
    public static double deadExpertFraction(double[] load) {
        int dead = 0;
        for (double v : load) if (v == 0) dead++;
        return (double) dead / load.length;
    }

    /** exp(H(p))/N of the load shares p (expert diversity); 1 when uniform. */
    public static double loadDiversity(double[] load) {
        double sum = 0;
        for (double v : load) sum += v;
        if (sum == 0) return 0;
        double entropy = 0;
        for (double v : load) {
            if (v > 0) entropy -= (v / sum) * Math.log(v / sum);
        }
        return Math.exp(entropy) / load.length;
    }

    /**
     * Switch load-balancing loss α-free part N·Σ f_i·P_i over the whole period (docs/MOE.md#switch-load-balancing-loss):
     * f_i = firstChoice_i / T, P_i = routerProbabilitySum_i / T; minimum 1 at uniform routing.
     */
    public static double switchAuxLoss(double[] firstChoice, double[] routerProbabilitySum, long tokens) {
        if (tokens == 0) return 0;
        double sum = 0;
        for (int i = 0; i < firstChoice.length; i++) {
            sum += (firstChoice[i] / tokens) * (routerProbabilitySum[i] / tokens);
        }
        return firstChoice.length * sum;
    }

    /** Random-routing baseline of "same first choice" for consecutive tokens: 1/N (Mixtral Table 5; docs/MOE.md#consecutive-tokens). */
    public static double randomSameFirstRate(int numExperts) {
        return numExperts == 0 ? 0 : 1.0 / numExperts;
    }

    /**
     * Random-routing baseline of "first-or-second choices share an expert": 1 − ((N−k)/N)·((N−k−1)/(N−1))
     * with k = 2 (Mixtral Table 5: 1 − (6/8)(5/7) ≈ 46% for N = 8). With one expert per
     * token it is the first-choice baseline; with two experts both tokens hold both, so the overlap is certain (1).
     */
    public static double randomFirstOrSecondRate(int numExperts, int topK) {
        if (topK < 2 || numExperts < 2) return randomSameFirstRate(numExperts);
        double n = numExperts;
        return 1 - ((n - 2) / n) * ((n - 3) / (n - 1));
    }

    /** exp(mean router entropy)/N (docs/MOE.md#router-entropy), from the entropy summed over {@code tokens} tokens. */
    public static double routerPerplexityRatio(double entropySum, long tokens, int numExperts) {
        return numExperts == 0 || tokens == 0 ? 0 : Math.exp(entropySum / tokens) / numExperts;
    }

    private static double mean(double[] x) {
        double sum = 0;
        for (double v : x) sum += v;
        return x.length == 0 ? 0 : sum / x.length;
    }

    private static double max(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) max = Math.max(max, v);
        return max;
    }
}
