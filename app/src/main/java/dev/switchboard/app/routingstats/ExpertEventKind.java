package dev.switchboard.app.routingstats;

/** What happened to an expert; stored as text in {@code expert_event.kind}. */
public enum ExpertEventKind {
    /** Loaded with the model at start. */
    LOADED,
    /** Added while serving (hot-loaded plugin). */
    ADDED,
    /** Masked out of routing. */
    DISABLED,
    /** Routable again after being disabled. */
    ENABLED,
    /** Swapped for another implementation or version. */
    REPLACED,
    /** Failed to load or to run; the reason says why. */
    FAILED,
    /** Removed and its resources closed. */
    UNLOADED
}
