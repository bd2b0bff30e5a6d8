package dev.switchboard.tools.lab;

import java.util.List;
import java.util.Map;

/**
 * The result of a training experiment ({@code collapse}, {@code experts-per-token}, {@code capacity}): the data
 * behind its charts, written as JSON.
 *
 * @param recipe the recipe file as given on the command line
 * @param runs one per variant, in the order trained
 */
public record TrainingExperiment(String experiment, String recipe, Settings settings, List<Run> runs) {

    /** What every run of the experiment shares: the recipe scaled down ({@link LabScale}). */
    public record Settings(int steps, int batch, int window, int hidden, int layers, int heads, int experts,
            int vocabulary, float learningRate, int warmupSteps, long seed, Map<String, Long> trainingTokensByDomain) {}

    /**
     * One trained variant.
     *
     * @param parameters every trainable parameter
     * @param activeExpertParameters expert parameters one token runs through ({@link Variant#activeExpertParameters})
     * @param routing balance and drops per layer, summed over each interval of steps
     * @param heldOut held-out loss (nats/token, all domains' windows) during training; the last after the final step
     * @param lossByDomain held-out loss per domain after the final step
     */
    public record Run(Variant variant, long parameters, long activeExpertParameters, double seconds, int skippedSteps,
            List<RoutingPoint> routing, List<LossPoint> heldOut, Map<String, Double> lossByDomain) {

        public double finalLoss() {
            return heldOut.get(heldOut.size() - 1).loss();
        }
    }

    /** Routing over the steps after the previous point up to {@code step}. */
    public record RoutingPoint(int step, List<LayerPoint> layers) {}

    /**
     * One layer's routing over an interval of steps (docs/MOE.md#balance-metrics).
     *
     * @param tokens tokens routed in the interval
     * @param cvLoad coefficient of variation of the experts' load
     * @param maxMeanLoad max/mean load
     * @param deadExperts experts that received no token in the interval
     * @param dropRate share of the tokens that capacity dropped
     */
    public record LayerPoint(int layer, long tokens, double cvLoad, double maxMeanLoad, int deadExperts, double dropRate) {}

    public record LossPoint(int step, double loss) {}
}
