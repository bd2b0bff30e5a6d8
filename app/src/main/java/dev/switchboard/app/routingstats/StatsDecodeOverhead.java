package dev.switchboard.app.routingstats;

import dev.switchboard.runtime.routing.LayerChoice;
import dev.switchboard.runtime.serving.EngineSequence;
import dev.switchboard.runtime.serving.ModelRuntime;
import dev.switchboard.runtime.serving.RoutingCapture;
import dev.switchboard.runtime.serving.SequenceTokens;
import dev.switchboard.runtime.serving.ServingEngine;
import dev.switchboard.runtime.serving.StepOutcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Decode with routing statistics off and on, interleaved step by step over the same sequences so both
 * see the same cache lengths and the same noise. "On" is what the scheduler's observer does per step:
 * the forward captures each token's selected experts, then {@code recordStep} with the step's layer
 * statistics and {@code recordTokenRoutes} per sequence and layer. "Off" is a plain forward.
 */
final class StatsDecodeOverhead {

    /**
     * @param pairedSlowdown median over adjacent (off, on) step pairs of {@code on/off - 1}: each pair ran
     *     within milliseconds, so a noisy neighbour shifts both
     */
    record Result(int batch, double offStepNanos, double onStepNanos, double pairedSlowdown) {
        double offTokensPerSecond() {
            return batch / (offStepNanos / 1e9);
        }

        double onTokensPerSecond() {
            return batch / (onStepNanos / 1e9);
        }

        double slowdownPercent() {
            return 100 * (onStepNanos / offStepNanos - 1);
        }
    }

    private StatsDecodeOverhead() {}

    static Result run(ModelRuntime runtime, RoutingStatsRecorder recorder, String modelId, int batch, int promptTokens, int steps) {
        ServingEngine model = runtime.engine();
        SplittableRandom random = new SplittableRandom(3);
        List<EngineSequence> sequences = new ArrayList<>();
        try {
            List<SequenceTokens> prefill = new ArrayList<>();
            List<SequenceRoutes> routes = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                EngineSequence sequence = model.newSequence();
                sequences.add(sequence);
                prefill.add(new SequenceTokens(sequence, random.ints(promptTokens, 3, runtime.shape().vocabSize()).toArray()));
                routes.add(recorder.openSequence(modelId, "bench"));
            }
            StepOutcome result = model.step(prefill, RoutingCapture.NONE);
            long[] off = new long[steps / 2];
            long[] on = new long[steps / 2];
            for (int s = 0; s < 2 * (steps / 2); s++) {
                List<SequenceTokens> decode = new ArrayList<>(batch);
                for (int b = 0; b < batch; b++) {
                    decode.add(new SequenceTokens(sequences.get(b), new int[] {argmax(result.logits().get(b))}));
                }
                boolean statistics = s % 2 == 1;
                long start = System.nanoTime();
                if (statistics) {
                    result = model.step(decode, RoutingCapture.SELECTED);
                    record(recorder, modelId, result, routes);
                    on[s / 2] = System.nanoTime() - start;
                } else {
                    result = model.step(decode, RoutingCapture.NONE);
                    off[s / 2] = System.nanoTime() - start;
                }
            }
            double[] ratios = new double[off.length];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = (double) on[i] / off[i] - 1;
            }
            Arrays.sort(ratios);
            return new Result(batch, median(off), median(on), ratios[ratios.length / 2]);
        } finally {
            sequences.forEach(EngineSequence::close);
        }
    }

    /** What the statistics observer does after a decode step. */
    private static void record(RoutingStatsRecorder recorder, String modelId, StepOutcome result, List<SequenceRoutes> routes) {
        for (int b = 0; b < routes.size(); b++) {
            recorder.recordStep(modelId, "bench", result.inputStats().get(b)); // per sequence, as RoutingStatsObserver does
            for (LayerChoice choice : result.routing().get(b).get(0).layers()) { // decode: one token per sequence
                recorder.recordTokenRoutes(routes.get(b), choice.layer(), choice.experts());
            }
        }
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) best = i;
        }
        return best;
    }
}
