package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;

/**
 * Where a MoE layer's routing weights {@code G(x)_e} come from, as a {@code (assignments [+ 1], 1)} column aligned
 * with {@link ExpertGroups#concat}. Serving multiplies by the numbers the router decided on the host; training
 * recomputes the same numbers on the device from the gate logits, so the loss reaches the router's weights.
 */
interface GateWeights {

    NDArray of(ExpertGroups groups, NDArray gateLogits, NDArray like);

    /** The decision's own weights, as constants: what serving runs and what traces report. */
    GateWeights DECIDED = (groups, gateLogits, like) -> groups.routingWeights(like);

    /**
     * {@code softmax(gateLogits)} at each chosen expert, renormalised over the token's chosen experts when
     * {@code renormalise} (Mixtral's {@code norm_topk_prob}): top-k routing's weights, differentiable.
     */
    static GateWeights differentiable(boolean renormalise) {
        return (groups, gateLogits, like) -> groups.routingWeights(gateLogits.softmax(-1), renormalise);
    }
}
