package dev.switchboard.app.system;

import dev.switchboard.app.system.DatabaseEnvironmentPostProcessor.EmbeddedDatabasePropertySource;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Stops the embedded PostgreSQL when the context closes. Its lifecycle phase is the lowest, so it
 * stops after every other lifecycle bean (web server drain, statistics flush) has finished. A context
 * that is only stopped (paused, as the test framework does between tests) keeps its database.
 */
@Component
class EmbeddedDatabaseStopper implements SmartLifecycle {

    private final ConfigurableApplicationContext context;
    private volatile boolean running;

    EmbeddedDatabaseStopper(ApplicationContext context) {
        this.context = (ConfigurableApplicationContext) context;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (!context.isClosed()) {
            return; // paused, not closing: the context may be started again and needs its database
        }
        if (context.getEnvironment().getPropertySources().get(DatabaseEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)
                instanceof EmbeddedDatabasePropertySource source) {
            source.database().close();
        }
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
