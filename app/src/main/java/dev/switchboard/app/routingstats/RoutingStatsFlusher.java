package dev.switchboard.app.routingstats;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Moves statistics from memory to PostgreSQL, so that a slow or frozen database never stretches a window: one
 * thread closes each window when the clock says it is due and adds it to the {@link WindowBuffer} (it never touches
 * the database); every flush interval the buffered windows are written oldest first (stopping at the first failure,
 * so the buffer stays a contiguous run), then the pending requests, traces and events. A failed write keeps
 * everything for the next tick. The writes are reactive end to end (R2DBC, each with a timeout): no thread waits
 * for the database; flushes and retention runs go through one queue ({@link DatabaseWork}), one at a time.
 *
 * <p>Stops in a lifecycle phase after the web server (so in-flight requests have recorded their steps)
 * and before the embedded database stopper ({@code Integer.MIN_VALUE}): cancels a write still waiting,
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
    private final DatabaseWork database = new DatabaseWork();
    private @Nullable ScheduledExecutorService windowCloser;
    private @Nullable Disposable ticks;
    private boolean failing; // read and written by database work only, one at a time

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
        return Boolean.TRUE.equals(database.submit(flushing(finalWriter, deadlineNanos)).block());
    }

    /**
     * Writes buffered windows oldest first, then pending records; returns whether all were written. Waits for the
     * answer: for tests, benchmarks and shutdown; the flusher's own ticks wait for nothing.
     */
    boolean flush() {
        return Boolean.TRUE.equals(database.submit(flushing(writer, NO_DEADLINE)).block());
    }

    /**
     * The writes of one flush, with {@code writer}'s timeout per write, starting no write after {@code deadlineNanos}:
     * buffered windows oldest first (stopping at the first failure, so the buffer stays a contiguous run), then the
     * pending requests, traces and events. Emits whether everything was written; a failure keeps what was not.
     */
    private Mono<Boolean> flushing(RoutingStatsWriter writer, long deadlineNanos) {
        int[] windows = {0};
        return writeWindows(writer, deadlineNanos, windows)
                .then(writeRecords(recorder.pendingRequests(), writer::writeRequests, deadlineNanos))
                .then(writeRecords(recorder.pendingTraces(), writer::writeTraces, deadlineNanos))
                .then(writeRecords(recorder.pendingEvents(), writer::writeEvents, deadlineNanos))
                .then(Mono.fromCallable(() -> {
                    if (failing) {
                        failing = false;
                        log.info("Routing statistics: database writes succeed again; wrote {} buffered window(s)", windows[0]);
                    }
                    return true;
                }))
                .onErrorResume(e -> !(e instanceof Error), e -> Mono.fromCallable(() -> failed(e)));
    }

    private boolean failed(Throwable e) {
        metrics.writeFailed();
        buffer.keepWithinBudget();
        if (!failing) {
            failing = true;
            log.warn("Routing statistics: cannot write to the database ({}); keeping {} closed window(s) in memory "
                    + "(budget switchboard.stats.buffer-budget) and retrying every {}", e.getMessage() != null ? e.getMessage()
                    : e.toString(), buffer.size(), properties.flushInterval());
        } else {
            log.debug("Routing statistics: database write failed again", e);
        }
        return false;
    }

    private Mono<Void> writeWindows(RoutingStatsWriter writer, long deadlineNanos, int[] written) {
        return Mono.defer(() -> {
            ClosedWindow window = buffer.oldest();
            if (window == null) {
                return Mono.empty();
            }
            checkDeadline(deadlineNanos);
            return writer.writeWindow(window)
                    .then(Mono.fromRunnable(() -> {
                        buffer.written(window);
                        written[0]++;
                    }))
                    .then(writeWindows(writer, deadlineNanos, written));
        });
    }

    /** Runs retention now and waits for it (the schedule runs it too, waiting for nothing). */
    RoutingStatsRetention.Result runRetention() {
        return database.submit(retaining()).block();
    }

    private Mono<RoutingStatsRetention.Result> retaining() {
        return Mono.defer(() -> retention.run(clock.instant())).doOnNext(result -> log.info(
                "Routing statistics retention: rolled up {} expert and {} layer rows, deleted {} aggregate rows, {} traces"
                        + " and {} requests", result.expertRowsRolledUp(), result.layerRowsRolledUp(),
                result.aggregateRowsDeleted(), result.tracesDeleted(), result.requestsDeleted()));
    }

    private static void checkDeadline(long deadlineNanos) {
        if (deadlineNanos != NO_DEADLINE && System.nanoTime() - deadlineNanos > 0) {
            throw new IllegalStateException("the shutdown flush ran out of time (switchboard.stats.shutdown-flush-timeout)");
        }
    }

    /** Writes {@code pending} in batches; a batch whose write fails or is cancelled goes back to be written later. */
    private static <T> Mono<Void> writeRecords(PendingRecords<T> pending, Function<List<T>, Mono<Void>> write,
            long deadlineNanos) {
        return Mono.defer(() -> {
            if (pending.isEmpty()) {
                return Mono.empty();
            }
            checkDeadline(deadlineNanos);
            List<T> batch = pending.take(RECORD_BATCH);
            return Mono.defer(() -> write.apply(batch))
                    .doOnError(e -> pending.restore(batch))
                    .doOnCancel(() -> pending.restore(batch))
                    .then(Mono.fromRunnable(() -> pending.written(batch)))
                    .then(writeRecords(pending, write, deadlineNanos));
        });
    }

    @Override
    public void start() {
        synchronized (windowLock) {
            if (windowCloser != null) return;
            windowCloser = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "routing-stats-windows");
                thread.setDaemon(true);
                return thread;
            });
            // A tick that comes while the previous flush still waits for the database is dropped, not queued.
            ticks = Disposables.composite(
                    Flux.interval(properties.flushInterval()).onBackpressureDrop()
                            .concatMap(tick -> database.submit(flushing(writer, NO_DEADLINE)), 1).subscribe(),
                    Flux.interval(properties.retention().interval()).onBackpressureDrop()
                            .concatMap(tick -> database.submit(retaining())
                                    .onErrorResume(e -> !(e instanceof Error), e -> {
                                        log.warn("Routing statistics retention failed; will retry in {}: {}",
                                                properties.retention().interval(), e.getMessage());
                                        return Mono.empty();
                                    }), 1)
                            .subscribe());
        }
        windowCloser.scheduleAtFixedRate(this::closeDueWindowSafely, WINDOW_CHECK_MILLIS, WINDOW_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        log.info("Routing statistics: {} windows, instance {}, flushed every {}", properties.window(), writer.instanceId(),
                properties.flushInterval());
    }

    @Override
    public void stop() {
        ScheduledExecutorService closer;
        Disposable running;
        synchronized (windowLock) {
            closer = windowCloser;
            running = ticks;
            windowCloser = null;
            ticks = null;
        }
        if (closer == null) return;
        long deadline = System.nanoTime() + properties.shutdownFlushTimeout().toNanos();
        closer.shutdown();
        running.dispose();
        database.interrupt(); // a write waiting on a slow database is cancelled: its data stays buffered
        try {
            closer.awaitTermination(1, TimeUnit.SECONDS);
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
            return windowCloser != null;
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
}
