package dev.switchboard.app.experts;

/**
 * What happened to an expert or to an expert plugin; stored as text in {@code expert_event.kind}. Expert
 * events name the model, layer and expert; plugin events name the plugin ({@code id@version}) only.
 */
public enum ExpertEventKind {
    /** Loaded with the model at start. */
    LOADED,
    /** Added while serving (an expert contributed by a plugin jar). */
    ADDED,
    /** Masked out of routing. */
    DISABLED,
    /** Routable again after being disabled. */
    ENABLED,
    /** Swapped for another implementation (kind) or version, same weights. */
    REPLACED,
    /** Failed to load or to run; the reason says why. */
    FAILED,
    /** Removed and its resources closed. */
    UNLOADED,
    /** Taken out of the model's layers (the layer's expert count shrank by one). */
    REMOVED,
    /** A plugin jar (or built-in provider) was found. */
    PLUGIN_DISCOVERED,
    /** A plugin's provider was constructed and passed the SPI and clash checks. */
    PLUGIN_VALIDATED,
    /** A plugin's kinds were registered. */
    PLUGIN_STARTED,
    /** A plugin's unload began: its experts are leaving the model. */
    PLUGIN_DRAINING,
    /** A plugin's experts and class loader were closed. */
    PLUGIN_UNLOADED,
    /** A plugin was refused; the reason says why. */
    PLUGIN_FAILED;

    /** Whether an event of this kind must say why. */
    public boolean needsReason() {
        return this == FAILED || this == PLUGIN_FAILED;
    }
}
