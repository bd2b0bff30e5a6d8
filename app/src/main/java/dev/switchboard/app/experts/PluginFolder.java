package dev.switchboard.app.experts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The plugins folder as the registry should see it: every {@code *.jar} in it loaded (or refused), every
 * removed jar unloaded, every replaced jar reloaded. Used by the watcher for single files and by the admin
 * API for a full rescan, an unload that leaves the jar in place, and a reload.
 */
final class PluginFolder {

    private final Path directory;
    private final PluginRegistry registry;
    // What was loaded from each jar: a rescan reloads a jar only when its size or mtime changed.
    private final Map<Path, Stamp> loaded = new ConcurrentHashMap<>();
    // Jars an admin unloaded while they stayed in the folder, as they were then: the watcher leaves such a jar
    // unloaded until the file changes; a rescan or a reload by plugin id loads it again.
    private final Map<Path, Unloaded> unloadedByAdmin = new ConcurrentHashMap<>();

    private record Unloaded(String id, Stamp stamp) {}

    record Stamp(long size, FileTime modified) {
        static Stamp of(Path file) throws IOException {
            return new Stamp(Files.size(file), Files.getLastModifiedTime(file));
        }
    }

    PluginFolder(Path directory, PluginRegistry registry) {
        this.directory = directory.toAbsolutePath().normalize();
        this.registry = registry;
    }

    Path directory() {
        return directory;
    }

    static boolean isJar(Path file) {
        return file.getFileName().toString().endsWith(".jar");
    }

    /**
     * The watcher's call: loads, reloads or unloads one jar to match the file as it is now. A jar unchanged
     * since its load stays, and so does a jar an admin unloaded, unchanged since (a late event of its copy).
     */
    synchronized void refresh(Path jar) {
        Path file = directory.resolve(jar.getFileName());
        Unloaded unloaded = unloadedByAdmin.get(file);
        if (unloaded != null && unloaded.stamp().equals(stampOrNull(file))) {
            return;
        }
        sync(file);
    }

    private void sync(Path file) {
        unloadedByAdmin.remove(file);
        if (!Files.isRegularFile(file)) {
            loaded.remove(file);
            registry.unloadJar(file);
            return;
        }
        try {
            Stamp stamp = Stamp.of(file);
            if (stamp.equals(loaded.get(file))) {
                return; // loaded as it is now (by a rescan, before the watcher's event): reloading would drain it
            }
            registry.load(file);
            loaded.put(file, stamp);
        } catch (IOException vanished) {
            loaded.remove(file);
            registry.unloadJar(file);
        }
    }

    private static Stamp stampOrNull(Path file) {
        try {
            return Stamp.of(file);
        } catch (IOException vanished) {
            return null;
        }
    }

    /**
     * Unloads plugin {@code id} and leaves its jar in the folder, unloaded until a {@link #rescan()}, a
     * {@link #load} of {@link #unloadedJar}, a restart, or a change of the file.
     *
     * @return the unloaded plugin, empty when no plugin has this id
     * @throws IllegalStateException for a built-in plugin
     */
    synchronized Optional<PluginView> unload(String id) {
        Optional<PluginView> gone = registry.unload(id);
        gone.ifPresent(view -> {
            Path jar = Path.of(view.source());
            Stamp stamp = loaded.remove(jar);
            unloadedByAdmin.put(jar, new Unloaded(id, stamp != null ? stamp : stampOrNull(jar)));
        });
        return gone;
    }

    /** The jar in this folder that an admin unloaded plugin {@code id} from; empty when there is none. */
    Optional<Path> unloadedJar(String id) {
        return unloadedByAdmin.entrySet().stream().filter(entry -> entry.getValue().id().equals(id))
                .map(Map.Entry::getKey).filter(Files::isRegularFile).findFirst();
    }

    /** Loads one jar of the folder now, replacing what was loaded from it, and remembers it as loaded. */
    synchronized PluginView load(Path jar) throws IOException {
        Path file = directory.resolve(jar.getFileName());
        unloadedByAdmin.remove(file);
        Stamp stamp = Stamp.of(file);
        PluginView view = registry.load(file);
        loaded.put(file, stamp);
        return view;
    }

    /** Brings the registry in line with the whole folder; returns the jars it acted on. */
    synchronized List<Path> rescan() throws IOException {
        Files.createDirectories(directory);
        Set<Path> present = new HashSet<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(Files::isRegularFile).filter(PluginFolder::isJar).map(Path::normalize).forEach(present::add);
        }
        var changed = new ArrayList<Path>();
        for (Path jar : present) {
            Stamp previous = loaded.get(jar);
            if (previous == null || !previous.equals(Stamp.of(jar))) {
                changed.add(jar);
            }
        }
        for (Path jar : Set.copyOf(loaded.keySet())) {
            if (!present.contains(jar)) {
                changed.add(jar);
            }
        }
        changed.sort(null);
        changed.forEach(this::sync); // an admin's rescan also loads jars an admin unloaded
        return changed;
    }
}
