package dev.switchboard.app.experts;

import ai.djl.ndarray.NDArray;
import dev.switchboard.spi.Expert;

/** An expert built by a plugin's kind, which forgets itself from the plugin when closed. */
final class TrackedExpert implements Expert {

    private final Expert expert;
    private final Plugin plugin;

    TrackedExpert(Expert expert, Plugin plugin) {
        this.expert = expert;
        this.plugin = plugin;
    }

    /** The label ({@code id@version}) of the plugin whose code runs in this expert. */
    String pluginLabel() {
        return plugin.label();
    }

    @Override
    public NDArray forward(NDArray tokens) {
        return expert.forward(tokens);
    }

    @Override
    public long parameterCount() {
        return expert.parameterCount();
    }

    @Override
    public long memoryBytes() {
        return expert.memoryBytes();
    }

    @Override
    public void close() {
        try {
            expert.close();
        } finally {
            plugin.forget(this);
        }
    }
}
