package dev.switchboard.runtime.routing;

/** Whether a forward step sees whole prompts (prefill) or one new token per sequence (decode). */
public enum RoutingPhase {
    PREFILL,
    DECODE
}
