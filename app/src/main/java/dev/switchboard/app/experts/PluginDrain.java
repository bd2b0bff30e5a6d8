package dev.switchboard.app.experts;

import dev.switchboard.spi.Expert;
import java.util.Set;

/**
 * What the loaded model must do before a plugin's code can go: stop routing to the given experts (swap the
 * live expert table for one without them) and return only when no forward step still holds them. The
 * registry closes the experts afterwards, then the class loader.
 */
@FunctionalInterface
public interface PluginDrain {

    /** No model holds plugin experts: nothing to wait for. */
    PluginDrain NONE = (pluginLabel, experts) -> {};

    void release(String pluginLabel, Set<Expert> experts);
}
