package dev.switchboard.app.experts;

/**
 * Where an expert plugin is in its life. Transitions are one-way, in this order, and each is logged once
 * at INFO and recorded as an {@link ExpertLifecycleEvent}:
 * {@code DISCOVERED → VALIDATED → STARTED → DRAINING → UNLOADED}; any step before {@code STARTED} may end
 * in {@code FAILED} instead.
 */
public enum PluginState {

    /** A jar was found (or a built-in provider on the class path); nothing of it has run yet. */
    DISCOVERED,

    /**
     * Its provider was constructed within the init deadline, names itself ({@code id@version}), targets a
     * compatible SPI version and clashes with no loaded id or kind name.
     */
    VALIDATED,

    /** Its expert kinds are registered: models may build experts with them. */
    STARTED,

    /**
     * Unload began: no new expert is built from it, its experts are being taken out of the live expert
     * table and the forward steps that still hold them are finishing.
     */
    DRAINING,

    /** Its experts are closed, its class loader is closed and the registry holds no reference to its code. */
    UNLOADED,

    /** Refused before {@code STARTED}; {@link PluginView#reason()} says why. Nothing of it stays loaded. */
    FAILED;

    /** The event recorded when a plugin enters this state. */
    ExpertEventKind eventKind() {
        return switch (this) {
            case DISCOVERED -> ExpertEventKind.PLUGIN_DISCOVERED;
            case VALIDATED -> ExpertEventKind.PLUGIN_VALIDATED;
            case STARTED -> ExpertEventKind.PLUGIN_STARTED;
            case DRAINING -> ExpertEventKind.PLUGIN_DRAINING;
            case UNLOADED -> ExpertEventKind.PLUGIN_UNLOADED;
            case FAILED -> ExpertEventKind.PLUGIN_FAILED;
        };
    }
}
