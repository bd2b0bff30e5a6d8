package dev.switchboard.app.fleet;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * PostgreSQL {@code LISTEN/NOTIFY} on channel {@value #CHANNEL}: a replica that changed shared state says so,
 * and every replica (itself included) is woken at once instead of at its next poll. The listening connection
 * is its own, outside the pool (a pooled connection would be handed to others); when it breaks (database
 * restart, network) it is opened again with backoff, and the poll covers what was missed meanwhile.
 */
public final class FleetNotifications implements AutoCloseable {

    static final String CHANNEL = "switchboard_fleet";

    private static final Logger log = LoggerFactory.getLogger(FleetNotifications.class);

    private final ConnectionFactory connections;
    private final DatabaseClient database;
    private volatile Disposable listening;

    FleetNotifications(ConnectionFactory connections, DatabaseClient database) {
        this.connections = connections instanceof Wrapped<?> pool && pool.unwrap() instanceof ConnectionFactory target
                ? target : connections;
        this.database = database;
    }

    /** Calls {@code wake} with each notification's payload until {@link #close()}. */
    void listen(java.util.function.Consumer<String> wake) {
        listening = Flux.usingWhen(connections.create(), connection -> notifications(connection), Connection::close)
                .doOnNext(wake)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(10)).transientErrors(true)
                        .doBeforeRetry(failure -> log.debug("Fleet notifications: listening again after {}", failure.failure().toString())))
                .repeat()
                .subscribe(payload -> {}, failure -> log.warn("Fleet notifications stopped; replicas sync at the poll interval", failure));
    }

    private static Flux<String> notifications(Connection connection) {
        if (!(connection instanceof PostgresqlConnection postgres)) {
            log.info("The database connection is not PostgreSQL's own; replicas sync at the poll interval only");
            return Flux.never();
        }
        return postgres.createStatement("LISTEN " + CHANNEL).execute().flatMap(result -> result.getRowsUpdated()).then()
                .thenMany(postgres.getNotifications())
                .map(notification -> notification.getParameter() == null ? "" : notification.getParameter());
    }

    /** Wakes every replica listening; {@code payload} says what changed (e.g. {@code experts:<model>}). */
    public void publish(String payload) {
        database.sql("SELECT pg_notify('" + CHANNEL + "', $1)").bind(0, payload).fetch().rowsUpdated()
                .then().onErrorResume(failure -> {
                    log.debug("Could not notify the other replicas ({}); they sync at their next poll", failure.toString());
                    return Mono.empty();
                }).block(Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        Disposable current = listening;
        if (current != null) {
            current.dispose();
        }
    }
}
