package dev.switchboard.app.routingstats;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.time.Instant;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/** The statistics parts wired by hand, on a manual clock, against the test database: no Spring context. */
final class StatsHarness {

    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    final ManualClock clock = new ManualClock(T0);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final RoutingStatsMetrics metrics = new RoutingStatsMetrics(registry);
    final RoutingStatsProperties properties;
    final RoutingStatsRecorder recorder;
    final WindowBuffer buffer;
    final RoutingStatsWriter writer;
    final RoutingStatsRetention retention;
    final RoutingStatsFlusher flusher;

    StatsHarness(TestDatabase database, RoutingStatsProperties properties) {
        this.properties = properties;
        ConnectionFactory connections = database.connectionFactory(); // one instance: transactions bind to it
        DatabaseClient client = DatabaseClient.create(connections);
        TransactionalOperator transactions = TransactionalOperator.create(new R2dbcTransactionManager(connections));
        recorder = new RoutingStatsRecorder(properties, clock, metrics);
        buffer = new WindowBuffer(properties.bufferBudget().toBytes(), metrics);
        writer = new RoutingStatsWriter(client, transactions, "test/" + System.nanoTime(), Duration.ofSeconds(5));
        retention = new RoutingStatsRetention(client, transactions, properties.retention(), Duration.ofSeconds(10));
        flusher = new RoutingStatsFlusher(recorder, buffer, writer, retention, metrics, clock, properties);
    }

    StatsHarness(TestDatabase database) {
        this(database, RoutingStatsProperties.defaults());
    }

    /** Moves past the end of the open window and lets the flusher close and write it. */
    boolean nextWindow() {
        clock.advance(properties.window());
        return flusher.tick();
    }
}
