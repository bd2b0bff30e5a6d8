package dev.switchboard.runtime.routing;

/**
 * Batch statistics of one MoE layer in one forward step (docs/MOE.md#losses), computed by
 * {@link RouterStatistics#compute}. Loads count what was dispatched; the aux loss counts a token
 * dropped for capacity at its argmax expert (Switch computes f before capacity). HF's top-k variant
 * of the balancing loss is {@link RouterStatistics#hfLoadBalancingLoss}.
 *
 * @param layer layer index
 * @param tokens tokens routed in this step
 * @param firstChoice per expert: tokens whose first choice it was (f_i = firstChoice[i] / tokens)
 * @param anyChoice per expert: tokens that had it among their chosen experts
 * @param routerProbabilitySum per expert: sum over tokens of its router probability (P_i = sum / tokens)
 * @param droppedTokens tokens dropped for capacity
 * @param auxLoss Switch load-balancing loss N · Σ f_i · P_i
 * @param zLoss router z-loss: mean over tokens of logsumexp(raw logits)² (ST-MoE, disabled experts included)
 * @param entropy mean over tokens of the router distribution's entropy (nats)
 */
public record LayerRoutingStats(
        int layer,
        int tokens,
        long[] firstChoice,
        long[] anyChoice,
        double[] routerProbabilitySum,
        int droppedTokens,
        double auxLoss,
        double zLoss,
        double entropy) {}
