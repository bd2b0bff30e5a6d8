package dev.switchboard.app.system;

import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Stops the embedded PostgreSQL when start-up fails after it was started. A context whose refresh failed
 * never stops its lifecycle beans, so {@link EmbeddedDatabaseStopper} does not run, and with the library's
 * shutdown hook off nothing else would: the server would outlive the process and hold the data directory.
 */
final class EmbeddedDatabaseFailureStopper implements ApplicationListener<ApplicationFailedEvent> {

    private final EmbeddedDatabase database;

    EmbeddedDatabaseFailureStopper(EmbeddedDatabase database) {
        this.database = database;
    }

    @Override
    public void onApplicationEvent(ApplicationFailedEvent event) {
        database.close();
    }
}
