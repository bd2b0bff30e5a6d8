package dev.switchboard.app.experts;

import dev.switchboard.runtime.model.ExpertKindResolver;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The expert plugins of this process: built-ins from the class path and jars from the plugins folder,
 * each moved through {@link PluginState} in explicit phases, and the expert kinds they offer.
 *
 * <p>Load and unload are serialised (one at a time); kind look-ups and {@link #list()} are lock-free, so the
 * admin listing answers at once (on the event loop) even while a plugin's initialisation hangs inside a load.
 * A refused plugin stays listed as {@link PluginState#FAILED} with its reason until its jar is removed or replaced.
 */
public final class PluginRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginRegistry.class);

    private final ClassLoader host;
    private final PluginDiscovery discovery;
    private final Consumer<ExpertLifecycleEvent> events;
    private final Supplier<PluginDrain> drain;
    private final Map<String, Plugin> plugins = new LinkedHashMap<>(); // by source; guarded by this
    // What list() shows: a copy of plugins' values, republished after every change, read without the lock.
    private volatile List<Plugin> listed = List.of();
    private final Map<String, TrackedKind> kinds = new ConcurrentHashMap<>();

    /**
     * @param host the class loader of the application: built-ins are found on it, and plugin class
     *     loaders take the SPI and DJL from it
     * @param initTimeout how long a plugin's provider may take to construct and describe itself
     * @param events told of every plugin lifecycle event, in the thread that made the change
     * @param drain what unloading must do to the loaded model before closing a plugin's experts; asked at each
     *     unload, because the drain itself needs this registry's kinds
     */
    public PluginRegistry(ClassLoader host, Duration initTimeout, Consumer<ExpertLifecycleEvent> events,
            Supplier<PluginDrain> drain) {
        this.host = host;
        this.discovery = new PluginDiscovery(host, initTimeout);
        this.events = events;
        this.drain = drain;
    }

    /** Starts every provider on the application class path. */
    public synchronized List<PluginView> loadBuiltIns() {
        var views = new ArrayList<PluginView>();
        for (ServiceLoader.Provider<ExpertProvider> candidate : ServiceLoader.load(ExpertProvider.class, host).stream().toList()) {
            Plugin plugin = Plugin.builtIn();
            String key = Plugin.CLASSPATH + ":" + candidate.type().getName();
            plugins.put(key, plugin);
            publish();
            emit(plugin, PluginState.DISCOVERED, candidate.type().getName());
            try {
                start(plugin, discovery.discoverBuiltIn(candidate));
            } catch (PluginRefusedException e) {
                fail(plugin, e);
            }
            views.add(plugin.view());
        }
        return views;
    }

    /**
     * Loads a plugin jar; a jar that is already loaded is unloaded first (a replaced file).
     *
     * @return the plugin, {@link PluginState#STARTED} or {@link PluginState#FAILED} with the reason
     */
    public synchronized PluginView load(Path jar) {
        Path normalised = jar.toAbsolutePath().normalize();
        unloadJar(normalised);
        Plugin plugin = Plugin.fromJar(normalised);
        plugins.put(normalised.toString(), plugin);
        publish(); // listed as DISCOVERED while its provider initialises
        emit(plugin, PluginState.DISCOVERED, normalised.toString());
        try {
            start(plugin, discovery.discover(normalised));
        } catch (PluginRefusedException e) {
            fail(plugin, e);
        }
        return plugin.view();
    }

    /**
     * Unloads the plugin with this id: drains the model, closes its experts and its class loader.
     *
     * @return the unloaded plugin, empty when no plugin has this id
     * @throws IllegalStateException for a built-in plugin, which lives as long as the process
     */
    public synchronized Optional<PluginView> unload(String id) {
        // A refused duplicate may carry the same id: the started one is meant first.
        Optional<Map.Entry<String, Plugin>> match = plugins.entrySet().stream()
                .filter(entry -> entry.getValue().id().equals(id))
                .min((a, b) -> Boolean.compare(b.getValue().state() == PluginState.STARTED,
                        a.getValue().state() == PluginState.STARTED));
        if (match.isEmpty()) {
            return Optional.empty();
        }
        Plugin plugin = match.get().getValue();
        if (plugin.jar() == null) {
            throw new IllegalStateException("plugin " + plugin.label() + " is built in and cannot be unloaded");
        }
        return Optional.of(unload(match.get().getKey(), plugin));
    }

    /** Unloads whatever was loaded from this jar (or forgets its failure); empty when nothing was. */
    public synchronized Optional<PluginView> unloadJar(Path jar) {
        String key = jar.toAbsolutePath().normalize().toString();
        Plugin plugin = plugins.get(key);
        return plugin == null ? Optional.empty() : Optional.of(unload(key, plugin));
    }

    /** Every plugin, built-ins first, in load order. Lock-free: never waits for a load or unload in progress. */
    public List<PluginView> list() {
        return listed.stream().map(Plugin::view).toList();
    }

    /** The started kind with this name. */
    public Optional<ExpertKind> kind(String name) {
        return Optional.ofNullable(kinds.get(name));
    }

    /**
     * The started kind with this name, for model loading.
     *
     * @throws IllegalArgumentException naming the known kinds when there is none
     */
    public ExpertKind requireKind(String name) {
        return kind(name).orElseThrow(() -> new IllegalArgumentException(
                "no expert kind '" + name + "' is loaded; loaded kinds: " + kinds.keySet().stream().sorted().toList()));
    }

    /**
     * The started kinds as the model loader wants them ({@code ModelOptions.withExpertKinds}): experts built
     * through it are tracked, so unloading their plugin finds and closes them.
     */
    public ExpertKindResolver kindResolver() {
        return new ExpertKindResolver() {
            @Override
            public Optional<ExpertKind> find(String name) {
                return kind(name);
            }

            @Override
            public Collection<String> knownNames() {
                return kinds.keySet().stream().sorted().toList();
            }
        };
    }

    /** The label ({@code id@version}) of the plugin whose code runs in this expert; empty for foreign experts. */
    public static Optional<String> pluginOf(Expert expert) {
        return expert instanceof TrackedExpert tracked ? Optional.of(tracked.pluginLabel()) : Optional.empty();
    }

    /** Plugins that ship whole experts, for the model's expert lifecycle. Lock-free, like {@link #list()}. */
    List<Plugin> startedPlugins() {
        return listed.stream().filter(p -> p.state() == PluginState.STARTED).toList();
    }

    /** Unloads every jar plugin, in reverse load order. */
    @Override
    public synchronized void close() {
        var keys = new ArrayList<>(plugins.keySet());
        for (int i = keys.size() - 1; i >= 0; i--) {
            Plugin plugin = plugins.get(keys.get(i));
            if (plugin.jar() != null) {
                unload(keys.get(i), plugin);
            }
        }
    }

    private void start(Plugin plugin, PluginDiscovery.Discovered discovered) throws PluginRefusedException {
        String id = discovered.descriptor().id();
        for (Plugin other : plugins.values()) {
            if (other != plugin && other.state() == PluginState.STARTED && other.id().equals(id)) {
                PluginDiscovery.closeQuietly(discovered.loader());
                PluginDiscovery.deleteQuietly(discovered.privateCopy());
                throw new PluginRefusedException("duplicate plugin id '" + id + "': " + discovered.descriptor().label()
                        + " from " + plugin.view().source() + " clashes with " + other.label() + " from "
                        + other.view().source(), discovered.descriptor());
            }
        }
        for (var kind : discovered.kinds()) {
            TrackedKind existing = kinds.get(kind.name());
            if (existing != null) {
                PluginDiscovery.closeQuietly(discovered.loader());
                PluginDiscovery.deleteQuietly(discovered.privateCopy());
                throw new PluginRefusedException("plugin " + discovered.descriptor().label() + " offers expert kind '"
                        + kind.name() + "', which " + existing.plugin().label() + " already provides", discovered.descriptor());
            }
        }
        plugin.adopt(discovered);
        emit(plugin, PluginState.VALIDATED, "requires SPI " + discovered.descriptor().requiresSpi());
        plugin.kinds().forEach(kind -> kinds.put(kind.name(), kind));
        emit(plugin, PluginState.STARTED, "kinds " + plugin.view().kinds());
    }

    private PluginView unload(String key, Plugin plugin) {
        if (plugin.state() == PluginState.STARTED) {
            emit(plugin, PluginState.DRAINING, "");
            plugin.kinds().forEach(kind -> kinds.remove(kind.name(), kind));
            try {
                drain.get().release(plugin.label(), plugin.liveExperts());
            } catch (RuntimeException e) {
                log.warn("Draining the model of plugin {} failed; closing its experts anyway", plugin.label(), e);
            }
            for (Expert expert : plugin.liveExperts()) {
                try {
                    expert.close();
                } catch (RuntimeException e) {
                    log.warn("An expert of plugin {} failed to close", plugin.label(), e);
                }
            }
            plugin.releaseCode();
            emit(plugin, PluginState.UNLOADED, "");
        }
        plugins.remove(key);
        publish();
        return plugin.view();
    }

    private void publish() {
        listed = List.copyOf(plugins.values());
    }

    private void fail(Plugin plugin, PluginRefusedException refusal) {
        String reason = refusal.getMessage();
        plugin.describedAs(refusal.descriptor());
        plugin.releaseCode();
        String subject = plugin.jar() != null && !plugin.label().equals(plugin.jar().getFileName().toString())
                ? plugin.label() + " (" + plugin.jar().getFileName() + ")" : plugin.label();
        plugin.state(PluginState.FAILED, reason);
        log.warn("Plugin {} FAILED: {}", subject, reason);
        events.accept(ExpertLifecycleEvent.ofPlugin(subject, ExpertEventKind.PLUGIN_FAILED, reason));
    }

    private void emit(Plugin plugin, PluginState state, String detail) {
        plugin.state(state, "");
        log.info("Plugin {} {}{}", plugin.label(), state, detail.isEmpty() ? "" : " (" + detail + ")");
        events.accept(ExpertLifecycleEvent.ofPlugin(plugin.label(), state.eventKind(), detail));
    }
}
