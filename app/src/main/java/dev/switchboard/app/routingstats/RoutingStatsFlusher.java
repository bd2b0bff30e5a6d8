package dev.switchboard.app.routingstats;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Moves statistics from memory to PostgreSQL. Two threads, so that a slow or frozen database never stretches
 * a window: one closes each window when the clock says it is due and adds it to the {@link WindowBuffer}
 * (it never touches the database); the other writes buffered windows oldest first (stopping at the first
 * failure, so the buffer stays a contiguous run), then the pending requests, traces and events. A failed
 * write keeps everything for the next tick. Retention runs on the writing thread.
 *
 * <p>Stops in a lifecycle phase after the web server (so in-flight requests have recorded their steps)
 * and before the embedded database stopper ({@code Integer.MIN_VALUE}): interrupts a write still waiting,
 * closes the open window early and writes everything once more, for at most
 * {@code switchboard.stats.shutdown-flush-timeout}.
 */
final class RoutingStatsFlusher implements SmartLifecycle {

    static final int PHASE = Integer.MIN_VALUE + 1000;
    private static final Logger log = LoggerFactory.getLogger(RoutingStatsFlusher.class);
    private static final int RECORD_BATCH = 5_000;
    /** "No deadline": compared by value, since nanoTime differences near it would overflow. */
    private static final long NO_DEADLINE = Long.MAX_VALUE;
    /** How often the window thread looks at the clock: window boundaries are this exact. */
    static final long WINDOW_CHECK_MILLIS = 100;

    private final RoutingStatsRecorder recorder;
    private final WindowBuffer buffer;
    private final RoutingStatsWriter writer;
    private final RoutingStatsRetention retention;
    private final RoutingStatsMetrics metrics;
    private final Clock clock;
    private final RoutingStatsProperties properties;
    private final Object windowLock = new Object();
    private @Nullable ScheduledExecutorService windowCloser;
    private @Nullable ScheduledExecutorService scheduler;
    private boolean failing;

    RoutingStatsFlusher(RoutingStatsRecorder recorder, WindowBuffer buffer, RoutingStatsWriter writer,
            RoutingStatsRetention retention, RoutingStatsMetrics metrics, Clock clock, RoutingStatsProperties properties) {
        this.recorder = recorder;
        this.buffer = buffer;
        this.writer = writer;
        this.retention = retention;
        this.metrics = metrics;
        this.clock = clock;
        this.properties = properties;
    }

    /** Closes the window if due, then writes what is buffered. Returns whether everything was written. */
    boolean tick() {
        closeDueWindow();
        return flush();
    }

    /** Closes the open window if the clock says it is over; never waits for the database. */
    void closeDueWindow() {
        synchronized (windowLock) {
            ClosedWindow closed = recorder.closeIfDue(clock.instant());
            if (closed != null) {
                metrics.windowClosed(closed);
                buffer.add(closed);
            }
        }
    }

    /** Closes the open window now, even early, and writes everything (shutdown; tests). */
    boolean closeAndFlush() {
        return closeAndFlush(writer, NO_DEADLINE);
    }

    private boolean closeAndFlush(RoutingStatsWriter finalWriter, long deadlineNanos) {
        synchronized (windowLock) {
            ClosedWindow closed = recorder.closeNow(clock.instant());
            metrics.windowClosed(closed);
            buffer.add(closed);
        }
        return flush(finalWriter, deadlineNanos);
    }

    /** Writes buffered windows oldest first, then pending records; returns whether all were written. */
    boolean flush() {
        return flush(writer, NO_DEADLINE);
    }

    /** As {@link #flush()}, with {@code writer}'s timeout per write, starting no write after {@code deadlineNanos}. */
    private synchronized boolean flush(RoutingStatsWriter writer, long deadlineNanos) {
        try {
            int windows = 0;
            for (ClosedWindow window = buffer.oldest(); window != null; window = buffer.oldest()) {
                checkDeadline(deadlineNanos);
                writer.writeWindow(window);
                buffer.written(window);
                windows++;
            }
            writeRecords(recorder.pendingRequests(), writer::writeRequests, deadlineNanos);
            writeRecords(recorder.pendingTraces(), writer::writeTraces, deadlineNanos);
            writeRecords(recorder.pendingEvents(), writer::writeEvents, deadlineNanos);
            if (failing) {
                failing = false;
                log.info("Routing statistics: database writes succeed again; wrote {} buffered window(s)", windows);
            }
            return true;
        } catch (RuntimeException e) {
            metrics.writeFailed();
            buffer.keepWithinBudget();
            if (!failing) {
                failing = true;
                log.warn("Routing statistics: cannot write to the database ({}); keeping {} closed window(s) in memory "
                        + "(budget switchboard.stats.buffer-budget) and retrying every {}", e.getMessage(), buffer.size(),
                        properties.flushInterval());
            } else {
                log.debug("Routing statistics: database write failed again", e);
            }
            return false;
        }
    }

    /** Runs retention now (the schedule calls this too). */
    synchronized RoutingStatsRetention.Result runRetention() {
        RoutingStatsRetention.Result result = retention.run(clock.instant());
        log.info("Routing statistics retention: rolled up {} expert and {} layer rows, deleted {} aggregate rows, {} traces and {} requests",
                result.expertRowsRolledUp(), result.layerRowsRolledUp(), result.aggregateRowsDeleted(), result.tracesDeleted(),
                result.requestsDeleted());
        return result;
    }

    private interface BatchWrite<T> {
        void write(List<T> batch);
    }

    private static void checkDeadline(long deadlineNanos) {
        if (deadlineNanos != NO_DEADLINE && System.nanoTime() - deadlineNanos > 0) {
            throw new IllegalStateException("the shutdown flush ran out of time (switchboard.stats.shutdown-flush-timeout)");
        }
    }

    private static <T> void writeRecords(PendingRecords<T> pending, BatchWrite<T> write, long deadlineNanos) {
        while (!pending.isEmpty()) {
            checkDeadline(deadlineNanos);
            List<T> batch = pending.take(RECORD_BATCH);
            try {
                write.write(batch);
            } catch (RuntimeException e) {
                pending.restore(batch);
                throw e;
            }
            pending.written(batch);
        }
    }

    @Override
    public void start() {
        synchronized (windowLock) {
            if (scheduler != null) return;
            windowCloser = singleThread("routing-stats-windows");
            scheduler = singleThread("routing-stats-flusher");
        }
        windowCloser.scheduleAtFixedRate(this::closeDueWindowSafely, WINDOW_CHECK_MILLIS, WINDOW_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        long tickMillis = properties.flushInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::flushSafely, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        long retentionMillis = properties.retention().interval().toMillis();
        scheduler.scheduleWithFixedDelay(this::retentionSafely, retentionMillis, retentionMillis, TimeUnit.MILLISECONDS);
        log.info("Routing statistics: {} windows, instance {}, flushed every {}", properties.window(), writer.instanceId(),
                properties.flushInterval());
    }

    private static ScheduledExecutorService singleThread(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void stop() {
        ScheduledExecutorService closer;
        ScheduledExecutorService running;
        synchronized (windowLock) {
            closer = windowCloser;
            running = scheduler;
            windowCloser = null;
            scheduler = null;
        }
        if (running == null) return;
        long deadline = System.nanoTime() + properties.shutdownFlushTimeout().toNanos();
        closer.shutdown();
        running.shutdownNow(); // a write waiting on a slow database is interrupted: its data stays buffered
        try {
            closer.awaitTermination(1, TimeUnit.SECONDS);
            running.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofMillis(100).toNanos()));
        if (!closeAndFlush(writer.withTimeout(left), deadline)) {
            long lost = buffer.contents().stream().mapToLong(ClosedWindow::assignments).sum();
            metrics.lostAssignments(lost);
            log.error("Routing statistics LOST at shutdown: {} window(s) with {} expert assignments could not be written to the database",
                    buffer.size(), lost);
        }
    }

    @Override
    public boolean isRunning() {
        synchronized (windowLock) {
            return scheduler != null;
        }
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void closeDueWindowSafely() {
        try {
            closeDueWindow();
        } catch (RuntimeException e) {
            log.error("Routing statistics: closing the window failed", e); // keep the schedule alive
        }
    }

    private void flushSafely() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.error("Routing statistics flusher tick failed", e); // keep the schedule alive
        }
    }

    private void retentionSafely() {
        try {
            runRetention();
        } catch (RuntimeException e) {
            log.warn("Routing statistics retention failed; will retry in {}: {}", properties.retention().interval(), e.getMessage());
        }
    }
}
