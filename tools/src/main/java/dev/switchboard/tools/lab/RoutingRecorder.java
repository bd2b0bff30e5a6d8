package dev.switchboard.tools.lab;

import dev.switchboard.runtime.routing.BalanceMetrics;
import dev.switchboard.runtime.training.RoutingLoad;
import java.util.ArrayList;
import java.util.List;

/**
 * Sums the trainer's per-step routing ({@link RoutingLoad}) over intervals of {@code every} steps and turns each
 * interval into balance gauges per layer with the statistics API's {@link BalanceMetrics}: one batch of a small
 * model routes too few tokens for "dead" to mean much, an interval of several does. The last step closes an interval.
 */
final class RoutingRecorder {

    private final int every;
    private final int lastStep;
    private final List<TrainingExperiment.RoutingPoint> points = new ArrayList<>();
    private long[][] load;
    private long[] tokens;
    private long[] dropped;

    RoutingRecorder(int every, int lastStep) {
        if (every < 1) throw new IllegalArgumentException("an interval must hold at least one step, got " + every);
        this.every = every;
        this.lastStep = lastStep;
    }

    /** Adds step {@code step}'s routing; closes the interval at every {@code every}-th step and at the last. */
    void add(int step, List<RoutingLoad> layers) {
        if (load == null) {
            load = new long[layers.size()][layers.get(0).load().length];
            tokens = new long[layers.size()];
            dropped = new long[layers.size()];
        }
        for (RoutingLoad layer : layers) {
            int l = layer.layer();
            tokens[l] += layer.tokens();
            dropped[l] += layer.droppedTokens();
            for (int e = 0; e < layer.load().length; e++) {
                load[l][e] += layer.load()[e];
            }
        }
        if (step % every == 0 || step == lastStep) {
            close(step);
        }
    }

    List<TrainingExperiment.RoutingPoint> points() {
        return List.copyOf(points);
    }

    private void close(int step) {
        List<TrainingExperiment.LayerPoint> layers = new ArrayList<>();
        for (int l = 0; l < load.length; l++) {
            double[] counts = new double[load[l].length];
            for (int e = 0; e < counts.length; e++) {
                counts[e] = load[l][e];
            }
            int dead = (int) Math.round(BalanceMetrics.deadExpertFraction(counts) * counts.length);
            layers.add(new TrainingExperiment.LayerPoint(l, tokens[l], BalanceMetrics.coefficientOfVariation(counts),
                    BalanceMetrics.maxOverMean(counts), dead, tokens[l] == 0 ? 0 : (double) dropped[l] / tokens[l]));
        }
        points.add(new TrainingExperiment.RoutingPoint(step, List.copyOf(layers)));
        load = null;
    }
}
