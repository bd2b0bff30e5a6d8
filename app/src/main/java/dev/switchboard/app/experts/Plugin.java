package dev.switchboard.app.experts;

import dev.switchboard.spi.ContributedExpert;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertDescriptor;
import dev.switchboard.spi.SpiVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One plugin, built-in or from a jar, and everything the host holds of it. State changes go through
 * {@link PluginRegistry}, which logs them and tells the listeners.
 */
final class Plugin {

    static final String CLASSPATH = "classpath";

    private final String source;
    private final Path jar;
    private final Set<Expert> liveExperts = ConcurrentHashMap.newKeySet();
    private volatile PluginState state = PluginState.DISCOVERED;
    private volatile String reason = "";
    private volatile ExpertDescriptor descriptor;
    private volatile List<TrackedKind> kinds = List.of();
    private volatile List<ContributedExpert> contributed = List.of();
    // The plugin's code: dropped on unload so that the class loader can be collected.
    private volatile PluginClassLoader loader;
    private volatile ClassLoader resources;
    private volatile Path privateCopy;

    private Plugin(String source, Path jar) {
        this.source = source;
        this.jar = jar;
    }

    static Plugin fromJar(Path jar) {
        return new Plugin(jar.toString(), jar);
    }

    static Plugin builtIn() {
        return new Plugin(CLASSPATH, null);
    }

    /** Remembers who a refused provider said it was. */
    void describedAs(ExpertDescriptor known) {
        if (known != null) {
            descriptor = known;
        }
    }

    /** {@code id@version} once known, else the jar's file name. */
    String label() {
        ExpertDescriptor known = descriptor;
        if (known != null) {
            return known.label();
        }
        return jar != null ? jar.getFileName().toString() : source;
    }

    String id() {
        ExpertDescriptor known = descriptor;
        return known != null ? known.id() : label();
    }

    Path jar() {
        return jar;
    }

    PluginState state() {
        return state;
    }

    void state(PluginState next, String why) {
        state = next;
        reason = why == null ? "" : why;
    }

    void adopt(PluginDiscovery.Discovered discovered) {
        descriptor = discovered.descriptor();
        loader = discovered.loader();
        privateCopy = discovered.privateCopy();
        resources = discovered.provider().getClass().getClassLoader();
        kinds = discovered.kinds().stream().map(kind -> new TrackedKind(kind, this)).toList();
        contributed = discovered.contributed();
    }

    List<TrackedKind> kinds() {
        return kinds;
    }

    List<ContributedExpert> contributed() {
        return contributed;
    }

    /** The class loader to read the plugin's jar resources (contributed weights) from. */
    ClassLoader resources() {
        return resources;
    }

    Expert track(Expert expert) {
        liveExperts.add(expert);
        return expert;
    }

    void forget(Expert expert) {
        liveExperts.remove(expert);
    }

    Set<Expert> liveExperts() {
        return Set.copyOf(liveExperts);
    }

    /** Closes the class loader and deletes the private jar copy; forgets every reference to plugin code. */
    void releaseCode() {
        PluginDiscovery.closeQuietly(loader);
        PluginDiscovery.deleteQuietly(privateCopy);
        loader = null;
        resources = null;
        privateCopy = null;
        kinds = List.of();
        contributed = List.of();
    }

    PluginView view() {
        ExpertDescriptor known = descriptor;
        return new PluginView(
                id(),
                known != null ? known.version() : "",
                source,
                known != null ? known.requiresSpi() : "",
                SpiVersion.CURRENT,
                state,
                reason,
                kinds.stream().map(TrackedKind::name).toList(),
                contributed.stream().map(ContributedExpert::name).toList(),
                liveExperts.size());
    }
}
