package dev.switchboard.app.system;

import dev.switchboard.app.system.DatabaseEnvironmentPostProcessor.EmbeddedDatabasePropertySource;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.stereotype.Component;

/**
 * Stops the embedded PostgreSQL when the context closes. Its lifecycle phase is the lowest, so it
 * stops after every other lifecycle bean (web server drain, statistics flush) has finished.
 */
@Component
class EmbeddedDatabaseStopper implements SmartLifecycle {

    private final ConfigurableEnvironment environment;
    private volatile boolean running;

    EmbeddedDatabaseStopper(ConfigurableEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (environment.getPropertySources().get(DatabaseEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)
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
