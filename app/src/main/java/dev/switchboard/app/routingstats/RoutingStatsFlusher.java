package dev.switchboard.app.routingstats;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Moves statistics from memory to PostgreSQL on its own thread: closes the window when it is due, adds
 * it to the {@link WindowBuffer}, writes buffered windows oldest first (stopping at the first failure, so
 * the buffer stays a contiguous run), then the pending requests, traces and events. A failed write keeps
 * everything for the next tick. Retention runs on the same thread.
 *
 * <p>Stops in a lifecycle phase after the web server (so in-flight requests have recorded their steps)
 * and before the embedded database stopper ({@code Integer.MIN_VALUE}): closes the open window early and
 * writes everything once more.
 */
final class RoutingStatsFlusher implements SmartLifecycle {

    static final int PHASE = Integer.MIN_VALUE + 1000;
    private static final Logger log = LoggerFactory.getLogger(RoutingStatsFlusher.class);
    private static final int RECORD_BATCH = 5_000;

    private final RoutingStatsRecorder recorder;
    private final WindowBuffer buffer;
    private final RoutingStatsWriter writer;
    private final RoutingStatsRetention retention;
    private final RoutingStatsMetrics metrics;
    private final Clock clock;
    private final RoutingStatsProperties properties;
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
    synchronized boolean tick() {
        ClosedWindow closed = recorder.closeIfDue(clock.instant());
        if (closed != null) {
            metrics.windowClosed(closed);
            buffer.add(closed);
        }
        return flush();
    }

    /** Closes the open window now, even early, and writes everything (shutdown; tests). */
    synchronized boolean closeAndFlush() {
        ClosedWindow closed = recorder.closeNow(clock.instant());
        metrics.windowClosed(closed);
        buffer.add(closed);
        return flush();
    }

    /** Writes buffered windows oldest first, then pending records; returns whether all were written. */
    synchronized boolean flush() {
        try {
            int windows = 0;
            for (ClosedWindow window = buffer.oldest(); window != null; window = buffer.oldest()) {
                writer.writeWindow(window);
                buffer.written(window);
                windows++;
            }
            writeRecords(recorder.pendingRequests(), writer::writeRequests);
            writeRecords(recorder.pendingTraces(), writer::writeTraces);
            writeRecords(recorder.pendingEvents(), writer::writeEvents);
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
        log.info("Routing statistics retention: rolled up {} expert and {} layer rows, deleted {} traces and {} requests",
                result.expertRowsRolledUp(), result.layerRowsRolledUp(), result.tracesDeleted(), result.requestsDeleted());
        return result;
    }

    private interface BatchWrite<T> {
        void write(List<T> batch);
    }

    private static <T> void writeRecords(PendingRecords<T> pending, BatchWrite<T> write) {
        while (!pending.isEmpty()) {
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
    public synchronized void start() {
        if (scheduler != null) return;
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "routing-stats-flusher");
            thread.setDaemon(true);
            return thread;
        });
        long tickMillis = properties.flushInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::tickSafely, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        long retentionMillis = properties.retention().interval().toMillis();
        scheduler.scheduleWithFixedDelay(this::retentionSafely, retentionMillis, retentionMillis, TimeUnit.MILLISECONDS);
        log.info("Routing statistics: {} windows, instance {}, flushed every {}", properties.window(), writer.instanceId(),
                properties.flushInterval());
    }

    @Override
    public void stop() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = scheduler;
            scheduler = null;
        }
        if (running == null) return;
        running.shutdown();
        try {
            running.awaitTermination(properties.writeTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!closeAndFlush()) {
            long lost = buffer.contents().stream().mapToLong(ClosedWindow::assignments).sum();
            metrics.lostAssignments(lost);
            log.error("Routing statistics LOST at shutdown: {} window(s) with {} expert assignments could not be written to the database",
                    buffer.size(), lost);
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void tickSafely() {
        try {
            tick();
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
