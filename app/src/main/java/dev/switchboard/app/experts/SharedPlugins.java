package dev.switchboard.app.experts;

import dev.switchboard.app.fleet.FleetNotifications;
import dev.switchboard.app.fleet.FleetTask;
import dev.switchboard.app.fleet.Replica;
import dev.switchboard.app.system.SwitchboardProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import dev.switchboard.app.errors.ApiException;

/**
 * Plugins shared by every replica: a jar uploaded once through the admin API is checked by loading it here (the
 * same checks as a jar in the plugins folder: one provider, a compatible SPI, no clash), stored in PostgreSQL
 * with its SHA-256 ({@link PluginJarStore}), and fetched and loaded by every other replica at its next sync
 * (woken by NOTIFY). Each replica keeps its copies in {@code <data-dir>/shared-plugins/<sha256>.jar}, checked
 * against the stored SHA-256 before loading. Deleting a stored plugin unloads it on every replica. The watched
 * plugins folder stays for a single node; the two can be used together.
 */
@Component
@Order(50)
class SharedPlugins implements FleetTask {

    private static final Logger log = LoggerFactory.getLogger(SharedPlugins.class);

    private final PluginJarStore store;
    private final PluginRegistry registry;
    private final FleetNotifications notifications;
    private final Replica replica;
    private final Path directory;
    private final Map<String, Path> loaded = new ConcurrentHashMap<>(); // plugin id -> its shared jar here

    SharedPlugins(PluginJarStore store, PluginRegistry registry, FleetNotifications notifications, Replica replica,
            SwitchboardProperties properties) {
        this.store = store;
        this.registry = registry;
        this.notifications = notifications;
        this.replica = replica;
        this.directory = properties.dataDir().resolve("shared-plugins").toAbsolutePath().normalize();
    }

    /** Loads stored jars not loaded here (or changed), unloads those no longer stored. */
    @Override
    public synchronized void sync() {
        List<PluginJarStore.Entry> stored;
        try {
            stored = store.list();
        } catch (RuntimeException unreachable) {
            log.debug("Shared plugins not read ({}); next at the poll interval", unreachable.toString());
            return;
        }
        Map<String, PluginJarStore.Entry> byId = stored.stream().collect(Collectors.toMap(PluginJarStore.Entry::pluginId, e -> e));
        for (String id : List.copyOf(loaded.keySet())) {
            PluginJarStore.Entry entry = byId.get(id);
            if (entry == null || !loaded.get(id).equals(jarOf(entry.sha256()))) {
                unloadHere(id);
            }
        }
        for (PluginJarStore.Entry entry : stored) {
            if (!loaded.containsKey(entry.pluginId())) {
                fetchAndLoad(entry);
            }
        }
    }

    private void fetchAndLoad(PluginJarStore.Entry entry) {
        Path jar = jarOf(entry.sha256());
        try {
            if (!Files.isRegularFile(jar) || !sha256(Files.readAllBytes(jar)).equals(entry.sha256())) {
                byte[] content = store.content(entry.pluginId(), entry.sha256()).orElse(null);
                if (content == null) {
                    return; // deleted or replaced meanwhile: the next sync sees what is stored then
                }
                if (!sha256(content).equals(entry.sha256())) {
                    log.warn("Shared plugin {} fetched with SHA-256 {}, stored as {}; not loading it", entry.pluginId(),
                            sha256(content), entry.sha256());
                    return;
                }
                write(jar, content);
            }
        } catch (IOException e) {
            log.warn("Shared plugin {} could not be written to {}", entry.pluginId(), jar, e);
            return;
        }
        PluginView view = registry.load(jar);
        loaded.put(entry.pluginId(), jar);
        if (view.state() == PluginState.STARTED) {
            log.info("Shared plugin {} loaded from the database (SHA-256 {})", view.label(), entry.sha256());
        }
    }

    /**
     * Checks a jar by loading it here, then stores it for every replica.
     *
     * @return the started plugin
     * @throws ApiException 400 when it is not a loadable plugin (with the reason), 409 when one with its id is stored
     */
    synchronized PluginView upload(byte[] content) {
        if (content.length < 4 || content[0] != 'P' || content[1] != 'K') {
            throw ApiException.invalid(null, "the body is not a jar (a zip file starting with 'PK'); send the plugin jar's"
                    + " bytes with Content-Type: application/java-archive");
        }
        String sha = sha256(content);
        Path jar = jarOf(sha);
        try {
            write(jar, content);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the uploaded plugin to " + jar, e);
        }
        PluginView view = registry.load(jar);
        if (view.state() != PluginState.STARTED) {
            registry.unloadJar(jar);
            deleteQuietly(jar);
            throw ApiException.invalid(null, "the plugin was refused: " + view.reason());
        }
        boolean stored;
        try {
            stored = store.insert(new PluginJarStore.Entry(view.id(), view.version(), sha, content.length), content,
                    replica.instanceId());
        } catch (RuntimeException unreachable) {
            registry.unloadJar(jar);
            deleteQuietly(jar);
            throw ApiException.unavailable("database_unavailable", "the plugin could not be stored for the other replicas ("
                    + unreachable.getMessage() + "); try again when the database answers", null);
        }
        if (!stored) {
            registry.unloadJar(jar);
            deleteQuietly(jar);
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", null, "conflict", "a plugin with id '"
                    + view.id() + "' is already stored; delete it first (DELETE /api/admin/plugins/" + view.id() + ")", null);
        }
        loaded.put(view.id(), jar);
        log.info("Shared plugin {} uploaded ({} bytes, SHA-256 {})", view.label(), content.length, sha);
        notifications.publish("plugins");
        return view;
    }

    /** Deletes a stored plugin for every replica and unloads it here; empty when no stored plugin has this id. */
    synchronized Optional<PluginView> delete(String id) {
        if (!store.delete(id)) {
            return Optional.empty();
        }
        Optional<PluginView> gone = unloadHere(id);
        notifications.publish("plugins");
        return gone;
    }

    private Optional<PluginView> unloadHere(String id) {
        Path jar = loaded.remove(id);
        if (jar == null) {
            return Optional.empty();
        }
        Optional<PluginView> gone = registry.unloadJar(jar);
        deleteQuietly(jar);
        log.info("Shared plugin {} unloaded: no longer stored", id);
        return gone;
    }

    private Path jarOf(String sha256) {
        return directory.resolve(sha256 + ".jar");
    }

    private static void write(Path jar, byte[] content) throws IOException {
        Files.createDirectories(jar.getParent());
        Path partial = Files.createTempFile(jar.getParent(), "upload", ".part");
        Files.write(partial, content);
        Files.move(partial, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteQuietly(Path jar) {
        try {
            Files.deleteIfExists(jar);
        } catch (IOException e) {
            log.debug("Could not delete {}", jar, e);
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
