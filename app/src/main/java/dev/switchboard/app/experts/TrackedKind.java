package dev.switchboard.app.experts;

import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertSpec;
import dev.switchboard.spi.ExpertWeights;
import java.util.Set;

/**
 * A plugin's kind as the host hands it out: every expert it builds is remembered by the plugin until
 * closed, so unloading the plugin knows which experts to take out of the model and close.
 */
final class TrackedKind implements ExpertKind {

    private final ExpertKind kind;
    private final Plugin plugin;

    TrackedKind(ExpertKind kind, Plugin plugin) {
        this.kind = kind;
        this.plugin = plugin;
    }

    /** The plugin that offers this kind. */
    Plugin plugin() {
        return plugin;
    }

    @Override
    public String name() {
        return kind.name();
    }

    @Override
    public Set<String> weightNames() {
        return kind.weightNames();
    }

    @Override
    public Expert create(ExpertSpec spec, ExpertWeights weights) {
        if (plugin.state() != PluginState.STARTED) {
            throw new IllegalStateException("plugin " + plugin.label() + " is " + plugin.state()
                    + "; kind '" + kind.name() + "' can no longer build experts");
        }
        Expert expert;
        try {
            expert = kind.create(spec, weights);
        } catch (LinkageError broken) {
            // Reactor treats a LinkageError as fatal and drops it, which would leave the admin request unanswered.
            throw new IllegalStateException("kind '" + kind.name() + "' of plugin " + plugin.label()
                    + " could not run: " + broken, broken);
        }
        if (expert == null) {
            throw new IllegalStateException("kind '" + kind.name() + "' of plugin " + plugin.label() + " returned no expert");
        }
        return plugin.track(new TrackedExpert(expert, plugin, kind.name(), spec.options()));
    }
}
