package dev.switchboard.runtime.serving;

/** How much routing a {@link ServingEngine#step} reports for its new tokens. */
public enum RoutingCapture {
    /** None: the fast path. */
    NONE,
    /** Per token and layer the chosen experts and their weights. */
    SELECTED,
    /** {@link #SELECTED} plus the full router distribution over all experts. */
    FULL
}
