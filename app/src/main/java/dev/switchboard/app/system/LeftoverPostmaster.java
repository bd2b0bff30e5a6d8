package dev.switchboard.app.system;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL still running on the data directory when Switchboard starts.
 *
 * <p>The embedded PostgreSQL is a separate process tree ({@code pg_ctl start} detaches it), so after
 * {@code kill -9} of the JVM it keeps running and holds the data directory; the next start would wait for
 * its own server in vain. Whether the owner is alive is told by the library's lock file {@code epg-lock}:
 * a running Switchboard holds an OS file lock on it for as long as its JVM lives, and the OS releases it
 * when the JVM dies. So: lock held, a second live instance (refused); lock free, a leftover of a dead one
 * (stopped, and start-up goes on).
 */
final class LeftoverPostmaster {

    private static final Logger log = LoggerFactory.getLogger(LeftoverPostmaster.class);
    /** The lock file zonky's EmbeddedPostgres holds while it runs a server on the directory. */
    static final String OWNER_LOCK = "epg-lock";
    private static final String PID_FILE = "postmaster.pid";
    /** A smart shutdown waits for sessions; the dead owner's are gone, so this is a checkpoint's time. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);

    private LeftoverPostmaster() {}

    /**
     * Stops a PostgreSQL left on {@code directory} by a Switchboard that is no longer running; refuses
     * (a {@link StartupConfigurationException}) when a live Switchboard owns the directory.
     */
    static void stopIfOwnerIsGone(Path directory) {
        Path pidFile = directory.resolve(PID_FILE);
        if (!Files.isRegularFile(pidFile)) {
            return; // the last server shut down cleanly (or never ran)
        }
        try (FileChannel channel = FileChannel.open(directory.resolve(OWNER_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw inUse(directory, pidFile);
            }
            try {
                stopLeftover(directory, pidFile);
            } finally {
                lock.release(); // the library takes the same lock when it starts the new server
            }
        } catch (IOException e) {
            throw new StartupConfigurationException("Cannot check whether a PostgreSQL is still running in " + directory
                    + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ").", DataDirectory.SETTING, e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by another application in this JVM (tests run several)
        }
    }

    private static void stopLeftover(Path directory, Path pidFile) throws IOException {
        Optional<Long> pid = postmasterPid(pidFile);
        Optional<ProcessHandle> process = pid.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return; // a stale pid file of a dead server: PostgreSQL removes it itself
        }
        if (!isPostgres(process.get())) {
            // The pid was reused (common in containers); PostgreSQL would take it for a live server and refuse.
            log.warn("Removing the stale {} in {}: pid {} is now '{}', not PostgreSQL", PID_FILE, directory, pid.get(),
                    process.get().info().command().orElse("?"));
            Files.deleteIfExists(pidFile);
            return;
        }
        log.warn("A PostgreSQL (pid {}) is still running on {}, left by a Switchboard that did not shut down; stopping it",
                pid.get(), directory);
        process.get().destroy(); // SIGTERM: smart shutdown, with a checkpoint
        try {
            process.get().onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("The leftover PostgreSQL (pid {}) did not stop within {} s; killing it (recovery runs at start)",
                    pid.get(), STOP_WAIT.toSeconds());
            process.get().destroyForcibly();
            awaitExit(process.get());
        } catch (ExecutionException e) {
            throw new IOException("waiting for pid " + pid.get() + " to stop failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pid " + pid.get() + " was stopping", e);
        }
        log.info("The leftover PostgreSQL (pid {}) stopped", pid.get());
    }

    private static void awaitExit(ProcessHandle process) throws IOException {
        try {
            process.onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pid " + process.pid() + " was being killed", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("pid " + process.pid() + " did not end after SIGKILL", e);
        }
    }

    /** The first line of postmaster.pid is the postmaster's pid (PostgreSQL's miscinit.c). */
    private static Optional<Long> postmasterPid(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile);
        try {
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command().map(command -> Path.of(command).getFileName().toString().equals("postgres")).orElse(false);
    }

    private static StartupConfigurationException inUse(Path directory, Path pidFile) {
        String pid;
        try {
            pid = postmasterPid(pidFile).map(String::valueOf).orElse("unknown");
        } catch (IOException e) {
            pid = "unknown";
        }
        return new StartupConfigurationException("The data directory " + directory.getParent() + " is in use by another "
                + "running Switchboard (its PostgreSQL has pid " + pid + "); two instances cannot share one data directory.",
                DataDirectory.SETTING + " to a folder of its own", null);
    }
}
