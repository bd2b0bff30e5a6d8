package dev.switchboard.app.experts;

import ai.djl.ndarray.NDArray;
import dev.switchboard.spi.Expert;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An expert built by a plugin's kind, which forgets itself from the plugin when closed. Closing is
 * idempotent: the model's table swap and the plugin's unload may both close it.
 */
final class TrackedExpert implements Expert {

    private final Expert expert;
    private final Plugin plugin;
    private final String kind;
    private final Map<String, String> options;
    private final AtomicBoolean closed = new AtomicBoolean();

    TrackedExpert(Expert expert, Plugin plugin, String kind, Map<String, String> options) {
        this.expert = expert;
        this.plugin = plugin;
        this.kind = kind;
        this.options = Map.copyOf(options);
    }

    /** The label ({@code id@version}) of the plugin whose code runs in this expert. */
    String pluginLabel() {
        return plugin.label();
    }

    /** The name of the kind that built it. */
    String kind() {
        return kind;
    }

    /** The kind options it was built with ({@code ExpertSpec.options}). */
    Map<String, String> options() {
        return options;
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
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            expert.close();
        } finally {
            plugin.forget(this);
        }
    }
}
