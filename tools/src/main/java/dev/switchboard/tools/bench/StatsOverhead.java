package dev.switchboard.tools.bench;

import dev.switchboard.runtime.routing.RouterStatistics;
import dev.switchboard.runtime.routing.RoutingContext;
import dev.switchboard.runtime.routing.RoutingDecision;
import dev.switchboard.runtime.routing.RoutingPhase;
import dev.switchboard.runtime.routing.TopKRouting;
import java.util.SplittableRandom;

/**
 * The cost of the per-step routing statistics (f_i, P_i, aux loss, z-loss, entropy) for one decode
 * step of a batch: one {@link RouterStatistics#compute} per MoE layer, on real-sized routing decisions.
 */
final class StatsOverhead {

    private StatsOverhead() {}

    static double nanosPerStep(int layers, int experts, int topK, int tokens) {
        SplittableRandom random = new SplittableRandom(7);
        float[] logits = new float[tokens * experts]; // (tokens, experts)
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) random.nextGaussian();
        }
        RoutingDecision decision = TopKRouting.renormalised(topK).route(logits, tokens, experts, RoutingContext.of(RoutingPhase.DECODE));
        Runnable step = () -> {
            for (int layer = 0; layer < layers; layer++) {
                RouterStatistics.compute(layer, logits, decision);
            }
        };
        Timing.medianNanos(20_000, step); // warm-up so the JIT has compiled it, as in a long-running server
        int batch = 1000;
        return Timing.medianNanos(200, () -> {
            for (int i = 0; i < batch; i++) {
                step.run();
            }
        }) / batch;
    }
}
