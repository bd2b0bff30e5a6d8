package dev.switchboard.runtime.training;

import dev.switchboard.runtime.routing.RoutingDecision;
import java.util.ArrayList;
import java.util.List;

/**
 * How one MoE layer routed one training step's tokens: what {@link Trainer.Listener#onRouting} reports, so that a
 * run can watch its routing balance (or collapse) step by step.
 *
 * @param tokens tokens the layer routed (the step's batch × window)
 * @param load per expert: tokens that had it among their choices (any rank), the statistics API's load
 * @param droppedTokens tokens that lost their expert to capacity (Switch routing) and passed through the residual
 */
public record RoutingLoad(int layer, int tokens, long[] load, int droppedTokens) {

    /** One layer's counts from its routing decision. */
    public static RoutingLoad of(int layer, RoutingDecision decision) {
        long[] load = new long[decision.numExperts()];
        for (int expert : decision.experts()) {
            load[expert]++;
        }
        return new RoutingLoad(layer, decision.tokens(), load, decision.droppedTokens());
    }

    /** Every layer's counts, in layer order. */
    public static List<RoutingLoad> of(List<RoutingDecision> decisions) {
        List<RoutingLoad> layers = new ArrayList<>(decisions.size());
        for (int layer = 0; layer < decisions.size(); layer++) {
            layers.add(of(layer, decisions.get(layer)));
        }
        return List.copyOf(layers);
    }
}
