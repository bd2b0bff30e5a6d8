package dev.switchboard.tools.eval;

import dev.switchboard.runtime.routing.LayerChoice;
import dev.switchboard.runtime.routing.TokenTrace;
import dev.switchboard.runtime.routing.BalanceMetrics;
import dev.switchboard.runtime.routing.ConsecutiveRoutes;
import dev.switchboard.runtime.routing.LayerRoutingStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Sums the routing of evaluated sequences per layer (the runtime's per-step {@link LayerRoutingStats} and the
 * per-token trace), then reports it with the statistics API's own code: {@link BalanceMetrics} for the gauges
 * and {@link ConsecutiveRoutes} to classify consecutive pairs. Not thread-safe.
 */
final class RoutingTally {

    private final int numExperts;
    private final long[] tokens;
    private final long[] dropped;
    private final double[] entropySum;
    private final double[] zLossSum;
    private final long[][] firstChoice;
    private final long[][] anyChoice;
    private final double[][] importance;
    private final long[] pairs;
    private final long[] sameFirst;
    private final long[] firstOrSecond;
    private final List<List<Map<String, Long>>> tokensByExpert = new ArrayList<>();

    RoutingTally(int layers, int numExperts) {
        this.numExperts = numExperts;
        tokens = new long[layers];
        dropped = new long[layers];
        entropySum = new double[layers];
        zLossSum = new double[layers];
        firstChoice = new long[layers][numExperts];
        anyChoice = new long[layers][numExperts];
        importance = new double[layers][numExperts];
        pairs = new long[layers];
        sameFirst = new long[layers];
        firstOrSecond = new long[layers];
        for (int layer = 0; layer < layers; layer++) {
            List<Map<String, Long>> perExpert = new ArrayList<>();
            for (int expert = 0; expert < numExperts; expert++) {
                perExpert.add(new HashMap<>());
            }
            tokensByExpert.add(perExpert);
        }
    }

    /** Adds one sequence: its per-layer statistics and its trace (every token, in order). */
    void add(List<LayerRoutingStats> stats, List<TokenTrace> trace, IntFunction<String> pieces) {
        for (LayerRoutingStats layer : stats) {
            int l = layer.layer();
            tokens[l] += layer.tokens();
            dropped[l] += layer.droppedTokens();
            entropySum[l] += layer.entropy() * layer.tokens(); // the runtime reports means over the step's tokens
            zLossSum[l] += layer.zLoss() * layer.tokens();
            for (int e = 0; e < numExperts; e++) {
                firstChoice[l][e] += layer.firstChoice()[e];
                anyChoice[l][e] += layer.anyChoice()[e];
                importance[l][e] += layer.routerProbabilitySum()[e];
            }
        }
        ConsecutiveRoutes routes = new ConsecutiveRoutes();
        for (TokenTrace token : trace) {
            String piece = pieces.apply(token.tokenId());
            for (LayerChoice choice : token.layers()) {
                int l = choice.layer();
                switch (routes.next(l, choice.experts())) {
                    case SAME_FIRST -> {
                        pairs[l]++;
                        sameFirst[l]++;
                        firstOrSecond[l]++;
                    }
                    case SHARED_FIRST_OR_SECOND -> {
                        pairs[l]++;
                        firstOrSecond[l]++;
                    }
                    case DIFFERENT -> pairs[l]++;
                    case NONE -> { }
                }
                for (int expert : choice.experts()) {
                    tokensByExpert.get(l).get(expert).merge(piece, 1L, Long::sum);
                }
            }
        }
    }

    /** Every layer's report, with up to {@code topTokens} tokens per expert. */
    List<LayerReport> report(int topTokens) {
        List<LayerReport> layers = new ArrayList<>();
        for (int l = 0; l < tokens.length; l++) {
            layers.add(layer(l, topTokens));
        }
        return layers;
    }

    private LayerReport layer(int l, int topTokens) {
        double[] load = toDouble(anyChoice[l]);
        double[] first = toDouble(firstChoice[l]);
        long firstTotal = sum(firstChoice[l]);
        long anyTotal = sum(anyChoice[l]);
        // Experts per routed token, inferred as the statistics API does (StatsReports.consecutive).
        int topK = firstTotal == 0 ? 0 : (int) Math.round((double) anyTotal / firstTotal);
        long n = tokens[l];
        LayerReport.Balance balance = new LayerReport.Balance(
                BalanceMetrics.coefficientOfVariation(load), BalanceMetrics.coefficientOfVariation(importance[l]),
                BalanceMetrics.maxOverMean(load), BalanceMetrics.maxViolation(load), BalanceMetrics.jainIndex(load),
                BalanceMetrics.deadExpertFraction(load), BalanceMetrics.loadDiversity(load),
                BalanceMetrics.routerPerplexityRatio(entropySum[l], n, numExperts),
                ratio(dropped[l], n), BalanceMetrics.switchAuxLoss(first, importance[l], n), ratio(zLossSum[l], n));
        LayerReport.Consecutive consecutive = new LayerReport.Consecutive(pairs[l], ratio(sameFirst[l], pairs[l]),
                ratio(firstOrSecond[l], pairs[l]), BalanceMetrics.randomSameFirstRate(numExperts),
                BalanceMetrics.randomFirstOrSecondRate(numExperts, topK));
        List<List<LayerReport.TokenCount>> top = new ArrayList<>();
        if (topTokens > 0) {
            for (Map<String, Long> counts : tokensByExpert.get(l)) {
                // Most frequent first, ties by text: the order of the statistics API's top-tokens query.
                top.add(counts.entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                                .thenComparing(Map.Entry.comparingByKey()))
                        .limit(topTokens)
                        .map(entry -> new LayerReport.TokenCount(entry.getKey(), entry.getValue()))
                        .toList());
            }
        }
        return new LayerReport(l, numExperts, topK, n, anyChoice[l].clone(), firstChoice[l].clone(),
                importance[l].clone(), balance, consecutive, top);
    }

    private static double ratio(double numerator, double denominator) {
        return denominator == 0 ? 0 : numerator / denominator;
    }

    private static long sum(long[] values) {
        long sum = 0;
        for (long v : values) sum += v;
        return sum;
    }

    private static double[] toDouble(long[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) out[i] = values[i];
        return out;
    }
}
