package dev.switchboard.runtime.routing;

/**
 * Turns one layer's gate logits into a sparse assignment of tokens to experts.
 * Implementations: HF Mixtral top-k, Switch top-1 with capacity, expert-choice. Stateless and thread-safe.
 */
public interface RoutingStrategy {

    /**
     * @param gateLogits row-major {@code [tokens, numExperts]} router logits (float32)
     * @param tokens number of rows
     * @param numExperts number of columns
     */
    RoutingDecision route(float[] gateLogits, int tokens, int numExperts, RoutingContext context);
}
