package dev.switchboard.app.system;

import dev.switchboard.app.system.DatabaseEnvironmentPostProcessor.EmbeddedDatabasePropertySource;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Stops the embedded PostgreSQL when the context closes. Its lifecycle phase is the lowest, so it
 * stops after every other lifecycle bean (web server drain, statistics flush) has finished. A context
 * that is only stopped (paused, as the test framework does between tests) keeps its database.
 *
 * <p>A JVM can also end without closing the context (a test JVM whose cached contexts are never closed).
 * The server is a separate process and would outlive it, so a JVM shutdown hook is the fallback: it gives
 * a close in progress (Spring's own hook, on SIGTERM) the time to finish, so it never stops the database
 * under the drain, and stops it itself only when nobody is closing the context.
 */
@Component
class EmbeddedDatabaseStopper implements SmartLifecycle {

    /** How long the fallback waits for someone (Spring's shutdown hook) to begin closing the context. */
    private static final Duration CLOSE_BEGINS_WITHIN = Duration.ofSeconds(2);
    /** Longest wait for a close in progress: well past the shutdown budget (docs/API.md). */
    private static final Duration CLOSE_ENDS_WITHIN = Duration.ofSeconds(60);

    private final ConfigurableApplicationContext context;
    private final @Nullable EmbeddedDatabase database;
    private final @Nullable Thread fallback;
    private volatile boolean running;

    EmbeddedDatabaseStopper(ApplicationContext context) {
        this.context = (ConfigurableApplicationContext) context;
        this.database = this.context.getEnvironment().getPropertySources().get(DatabaseEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)
                instanceof EmbeddedDatabasePropertySource source ? source.database() : null;
        this.fallback = database == null ? null : new Thread(this::stopWhenTheJvmEnds, "embedded-postgres-fallback-stop");
        if (fallback != null) {
            Runtime.getRuntime().addShutdownHook(fallback);
        }
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (!context.isClosed() || database == null) {
            return; // paused, not closing: the context may be started again and needs its database
        }
        database.close();
        try {
            Runtime.getRuntime().removeShutdownHook(fallback);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs and finds the database stopped
        }
    }

    private void stopWhenTheJvmEnds() {
        if (awaitUntil(context::isClosed, CLOSE_BEGINS_WITHIN)) {
            awaitUntil(() -> !context.isActive(), CLOSE_ENDS_WITHIN); // the close stops the database itself, last
        }
        database.close(); // idempotent
    }

    private static boolean awaitUntil(java.util.function.BooleanSupplier condition, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) return false;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE;
    }
}
