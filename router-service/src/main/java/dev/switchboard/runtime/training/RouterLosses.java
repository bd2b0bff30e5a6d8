package dev.switchboard.runtime.training;

import ai.djl.ndarray.NDArray;
import dev.switchboard.runtime.model.GraphConstant;
import dev.switchboard.runtime.routing.RoutingDecision;

/**
 * The auxiliary router losses of one MoE layer, differentiable in the router logits (docs/MOE.md#training-losses).
 */
final class RouterLosses {

    private RouterLosses() {}

    /**
     * Load-balancing loss {@code E · Σ_i f_i · P_i} (Switch Transformer, Fedus et al. 2021, eq. 4, with top-k
     * selections as in HF {@code load_balancing_loss_func}): {@code f_i} the share of all selections that went to
     * expert i (a constant of the decision), {@code P_i} the mean router probability of expert i. 1 when balanced.
     */
    static NDArray balance(NDArray gateLogits, RoutingDecision decision) {
        int experts = decision.numExperts();
        float[] fraction = selectionShares(decision);
        NDArray meanProbability = gateLogits.softmax(-1).mean(new int[] {0}); // (numExperts): P_i
        // (numExperts), in PyTorch's memory: autograd keeps it for the gradient of P_i
        NDArray f = GraphConstant.vector(gateLogits.getManager(), fraction).toType(gateLogits.getDataType(), false);
        // Not mul(Number): autograd would keep a scalar whose Java buffer DJL frees at once (GraphConstant).
        return f.mul(meanProbability).sum().mul(GraphConstant.scalar(gateLogits.getManager(), experts));
    }

    /**
     * {@code f_i}: each expert's share of the selections. A token that capacity dropped (Switch routing) still
     * counts for the expert it chose, its most probable one: Switch computes {@code f} before the capacity cut, so
     * an overflowing expert's share keeps growing with its demand and the loss keeps pushing tokens away from it.
     */
    static float[] selectionShares(RoutingDecision decision) {
        int experts = decision.numExperts();
        float[] counts = new float[experts];
        float selections = 0;
        for (int t = 0; t < decision.tokens(); t++) {
            if (decision.expertCount(t) > 0) {
                for (int a = decision.offsets()[t]; a < decision.offsets()[t + 1]; a++) {
                    counts[decision.experts()[a]]++;
                    selections++;
                }
            } else if (decision.droppedTokens() > 0) {
                counts[decision.mostProbableExpert(t)]++;
                selections++;
            }
        }
        for (int e = 0; e < experts; e++) {
            counts[e] = selections == 0 ? 0 : counts[e] / selections;
        }
        return counts;
    }

    /** Router z-loss (ST-MoE, Zoph et al. 2022, eq. 5): the mean over tokens of {@code logsumexp(logits)²}. */
    static NDArray routerZ(NDArray gateLogits) {
        return gateLogits.exp().sum(new int[] {-1}).log().square().mean();
    }
}
