package dev.switchboard.app.fleet;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs every {@link FleetTask} on one thread ({@code switchboard-fleet}): every poll interval, and at once when a
 * NOTIFY arrives (several notifications before the run starts make one run). One thread means tasks never
 * overlap: plugins are in place before the expert configuration that needs them is applied.
 */
final class FleetSync implements SmartLifecycle {

    /** How often the tasks are asked whether they want a run before the next poll. */
    static final java.time.Duration CHECK_EVERY = java.time.Duration.ofMillis(250);

    private static final Logger log = LoggerFactory.getLogger(FleetSync.class);

    private final FleetNotifications notifications;
    private final List<FleetTask> tasks;
    private final FleetProperties properties;
    private final AtomicBoolean runPending = new AtomicBoolean();
    private volatile ScheduledExecutorService thread;
    private volatile long lastRun; // System.nanoTime() of the last run's start

    FleetSync(FleetNotifications notifications, List<FleetTask> tasks, FleetProperties properties) {
        this.notifications = notifications;
        this.tasks = List.copyOf(tasks);
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "switchboard-fleet");
            t.setDaemon(true);
            return t;
        });
        notifications.listen(payload -> wake());
        lastRun = System.nanoTime() - properties.pollInterval().toNanos();
        thread.scheduleWithFixedDelay(this::check, 0, CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Fleet sync every {} and on NOTIFY {}", properties.pollInterval(), FleetNotifications.CHANNEL);
    }

    /** Runs the tasks soon on the fleet thread, unless a run is already waiting. */
    void wake() {
        ScheduledExecutorService current = thread;
        if (current != null && runPending.compareAndSet(false, true)) {
            try {
                current.execute(this::run);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                runPending.set(false);
            }
        }
    }

    /** A run when the poll interval has passed since the last, or when a task asks for one. */
    private void check() {
        boolean due = System.nanoTime() - lastRun >= properties.pollInterval().toNanos();
        if (due || tasks.stream().anyMatch(FleetTask::wantsRunSoon)) {
            wake();
        }
    }

    private void run() {
        runPending.set(false);
        lastRun = System.nanoTime();
        for (FleetTask task : tasks) {
            try {
                task.sync();
            } catch (RuntimeException e) {
                log.warn("Fleet task {} failed; it runs again at the next poll", task.getClass().getSimpleName(), e);
            }
        }
    }

    @Override
    public synchronized void stop() {
        notifications.close();
        if (thread != null) {
            thread.shutdownNow();
            try {
                thread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
        for (FleetTask task : tasks) {
            try {
                task.leave();
            } catch (RuntimeException e) {
                log.debug("Fleet task {} could not leave cleanly", task.getClass().getSimpleName(), e);
            }
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    /** Stops before the web server and the database (it writes heartbeats), starts after them. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }
}
