package dev.switchboard.runtime.routing;

/**
 * Per-layer routing inputs that are not the gate logits.
 *
 * @param disabled {@code disabled[e]} masks expert e before selection (its weight renormalises over the others)
 * @param selectionBias additive per-expert bias used for selection only (DeepSeek-V3); weights come from unbiased scores
 * @param phase prefill or decode (expert-choice refuses decode)
 */
public record RoutingContext(boolean[] disabled, float[] selectionBias, RoutingPhase phase) {}
