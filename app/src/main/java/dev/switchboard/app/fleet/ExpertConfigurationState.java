package dev.switchboard.app.fleet;

import java.util.Optional;

/**
 * Where this replica stands with its model's shared expert configuration, for its heartbeat and the instances
 * list. Implemented by the expert lifecycle, which owns the configuration.
 */
public interface ExpertConfigurationState {

    /** The served model's id; empty while none is loaded. */
    Optional<String> modelId();

    /** The version of the configuration the live expert table matches; 0 for the model as loaded. */
    long appliedVersion();

    /** Why the newest version could not be applied here; empty when it was. */
    Optional<String> applyError();
}
