package dev.switchboard.app.routingstats;

import dev.switchboard.app.routingstats.RoutingStatsRepository.ExpertUsage;
import dev.switchboard.app.routingstats.RoutingStatsRepository.LayerUsage;
import dev.switchboard.runtime.routing.BalanceMetrics;
import java.time.Instant;
import java.util.List;

/** Turns summed rows into the paper-style reports the API returns. Pure functions; the formulas live in {@link BalanceMetrics}. */
final class StatsReports {

    /** Load-balance gauges of one layer in one bucket (docs/MOE.md#balance-metrics). */
    record BalanceGauges(Instant bucketStart, int layer, int numExperts, long tokens, double dropRate,
            double cvLoad, double cvImportance, double maxMeanLoad, double maxVio, double jainIndex,
            double deadExpertFraction, double loadDiversity, double routerPerplexityRatio,
            double auxLossPerStep, double auxLoss, double zLoss) {}

    /** Share of a layer's assignments per expert for one domain (Mixtral Fig. 7); uniform is 1/N. */
    record DomainDistribution(String domain, int layer, long assignments, double uniformShare, double[] shares) {}

    /** Consecutive tokens routed to the same expert (Mixtral Table 5) with the random-routing baselines. */
    record ConsecutiveRates(String domain, int layer, long pairs, double sameFirstRate, double firstOrSecondRate,
            double randomSameFirstRate, double randomFirstOrSecondRate) {}

    private StatsReports() {}

    static BalanceGauges balance(LayerUsage layer, List<ExpertUsage> experts) {
        int n = numExperts(layer.numExperts(), experts);
        double[] load = new double[n];
        double[] importance = new double[n];
        double[] first = new double[n];
        for (ExpertUsage e : experts) {
            load[e.expert()] = e.anyChoice();
            importance[e.expert()] = e.routerProbabilitySum();
            first[e.expert()] = e.firstChoice();
        }
        long tokens = layer.tokens();
        return new BalanceGauges(layer.bucketStart(), layer.layer(), n, tokens,
                ratio(layer.dropped(), tokens),
                BalanceMetrics.coefficientOfVariation(load), BalanceMetrics.coefficientOfVariation(importance),
                BalanceMetrics.maxOverMean(load), BalanceMetrics.maxViolation(load), BalanceMetrics.jainIndex(load),
                BalanceMetrics.deadExpertFraction(load), BalanceMetrics.loadDiversity(load),
                BalanceMetrics.routerPerplexityRatio(layer.entropySum(), tokens, n),
                ratio(layer.auxLossSum(), layer.steps()),
                BalanceMetrics.switchAuxLoss(first, importance, tokens),
                ratio(layer.zLossSum(), tokens));
    }

    static DomainDistribution distribution(String domain, int layer, List<ExpertUsage> experts) {
        int n = numExperts(0, experts);
        double[] shares = new double[n];
        long assignments = 0;
        for (ExpertUsage e : experts) assignments += e.anyChoice();
        for (ExpertUsage e : experts) shares[e.expert()] = ratio(e.anyChoice(), assignments);
        return new DomainDistribution(domain, layer, assignments, n == 0 ? 0 : 1.0 / n, shares);
    }

    static ConsecutiveRates consecutive(LayerUsage layer, List<ExpertUsage> experts) {
        int n = numExperts(layer.numExperts(), experts);
        long first = experts.stream().mapToLong(ExpertUsage::firstChoice).sum();
        long any = experts.stream().mapToLong(ExpertUsage::anyChoice).sum();
        int topK = first == 0 ? 0 : (int) Math.round((double) any / first); // experts per routed token
        return new ConsecutiveRates(layer.domain(), layer.layer(), layer.consecutivePairs(),
                ratio(layer.sameFirstPairs(), layer.consecutivePairs()), ratio(layer.firstOrSecondPairs(), layer.consecutivePairs()),
                BalanceMetrics.randomSameFirstRate(n), BalanceMetrics.randomFirstOrSecondRate(n, topK));
    }

    private static int numExperts(int declared, List<ExpertUsage> experts) {
        int n = declared;
        for (ExpertUsage e : experts) n = Math.max(n, e.expert() + 1);
        return n;
    }

    private static double ratio(double numerator, double denominator) {
        return denominator == 0 ? 0 : numerator / denominator;
    }
}
