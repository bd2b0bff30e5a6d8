package dev.switchboard.app.experts;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the plugins folder and reacts to new, replaced and removed jars without a restart.
 *
 * <p>Copying a jar produces a burst of events and, for a while, a file that is not a jar yet. A changed
 * jar is therefore acted on only once its size and modification time have stayed the same for the
 * debounce period <em>and</em> it opens as a jar; a file that stays unreadable for {@code giveUpAfter} is
 * loaded anyway, so that it is refused with its reason instead of waiting forever.
 */
final class PluginFolderWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginFolderWatcher.class);

    private final PluginFolder folder;
    private final Duration debounce;
    private final Duration giveUpAfter;
    private final Map<Path, Pending> pending = new HashMap<>(); // only touched by the watcher thread
    private WatchService watchService;
    private Thread thread;

    private static final class Pending {
        final long firstSeen;
        long lastChange;
        PluginFolder.Stamp stamp;

        Pending(long now) {
            firstSeen = now;
            lastChange = now;
        }
    }

    PluginFolderWatcher(PluginFolder folder, Duration debounce, Duration giveUpAfter) {
        this.folder = folder;
        this.debounce = debounce;
        this.giveUpAfter = giveUpAfter;
    }

    /** Starts watching; jars already in the folder are not loaded here (see {@link PluginFolder#rescan()}). */
    synchronized void start() throws IOException {
        Files.createDirectories(folder.directory());
        watchService = folder.directory().getFileSystem().newWatchService();
        folder.directory().register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        thread = new Thread(this::run, "plugin-folder-watcher");
        thread.setDaemon(true);
        thread.start();
        log.info("Watching {} for expert plugin jars", folder.directory());
    }

    private void run() {
        long pollMillis = Math.max(50, debounce.toMillis() / 4);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                WatchKey key = watchService.poll(pollMillis, TimeUnit.MILLISECONDS);
                if (key != null) {
                    for (WatchEvent<?> event : key.pollEvents()) {
                        if (event.context() instanceof Path name && PluginFolder.isJar(name)) {
                            long now = System.nanoTime();
                            pending.computeIfAbsent(folder.directory().resolve(name), p -> new Pending(now)).lastChange = now;
                        } else if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                            folder.rescan();
                        }
                    }
                    key.reset();
                }
                settle();
            }
        } catch (ClosedWatchServiceException | InterruptedException stopped) {
            // close() was called
        } catch (IOException | RuntimeException e) {
            log.error("The plugins folder watcher stopped; use POST /api/admin/plugins/rescan", e);
        }
    }

    /** Acts on every pending jar whose file has settled. */
    private void settle() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<Path, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Path, Pending> entry = it.next();
            Path jar = entry.getKey();
            Pending state = entry.getValue();
            if (!Files.exists(jar)) {
                it.remove();
                folder.refresh(jar);
                continue;
            }
            PluginFolder.Stamp stamp;
            try {
                stamp = PluginFolder.Stamp.of(jar);
            } catch (IOException vanished) {
                continue; // the next round sees it gone
            }
            if (!stamp.equals(state.stamp)) {
                state.stamp = stamp;
                state.lastChange = now;
                continue;
            }
            boolean quiet = now - state.lastChange >= debounce.toNanos();
            boolean givenUp = now - state.firstSeen >= giveUpAfter.toNanos();
            if (quiet && (opens(jar) || givenUp)) {
                it.remove();
                folder.refresh(jar);
            }
        }
    }

    private static boolean opens(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().count() >= 0;
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.interrupt();
        }
        try {
            if (watchService != null) {
                watchService.close();
            }
            if (thread != null) {
                thread.join(5_000);
            }
        } catch (IOException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
