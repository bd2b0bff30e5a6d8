package dev.switchboard.app.routingstats;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * A throw-away embedded PostgreSQL for {@code bench-stats}, migrated with the real Flyway scripts, and the
 * statistics writer over R2DBC as the application wires it. Sizes are read over JDBC.
 */
final class BenchDatabase implements AutoCloseable {

    static final String TABLES = "'expert_window', 'layer_window', 'completion_request', 'token_trace', 'expert_event'";

    private final EmbeddedPostgres postgres;
    private final Path directory;
    private final ConnectionFactory connections; // one instance: transactions bind to it
    private final TransactionalOperator transactions;

    BenchDatabase() {
        this(null);
    }

    /**
     * @param keep a folder that keeps the database after the run, reused as it is (migrated to the current version)
     *     when it already holds one; null for a throw-away temporary folder
     */
    BenchDatabase(@Nullable Path keep) {
        try {
            directory = keep == null ? Files.createTempDirectory("switchboard-bench-pg") : Files.createDirectories(keep);
            postgres = EmbeddedPostgres.builder().setDataDirectory(directory).setCleanDataDirectory(keep == null).start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
        Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
        connections = ConnectionFactories.get("r2dbc:postgresql://postgres@localhost:" + postgres.getPort() + "/postgres");
        transactions = TransactionalOperator.create(new R2dbcTransactionManager(connections));
    }

    DatabaseClient client() {
        return DatabaseClient.create(connections);
    }

    /** A client over a connection pool, as the application reads (a connection per query would dominate). */
    DatabaseClient pooledClient() {
        return DatabaseClient.create(ConnectionFactories.get("r2dbc:pool:postgresql://postgres@localhost:" + postgres.getPort()
                + "/postgres?maxSize=4"));
    }

    TransactionalOperator transactions() {
        return transactions;
    }

    /** Runs one statement over JDBC (bulk loads for the benchmarks). */
    void execute(String sql) {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    RoutingStatsWriter writer(String instance) {
        return new RoutingStatsWriter(DatabaseClient.create(connections), transactions, instance, Duration.ofSeconds(30));
    }

    RoutingStatsRetention retention(RoutingStatsProperties properties) {
        return new RoutingStatsRetention(DatabaseClient.create(connections), transactions, properties.retention(), Duration.ofSeconds(30));
    }

    /** {@code pg_total_relation_size} (rows, indexes and TOAST) of the statistics tables, summed. */
    long statisticsBytes() {
        return queryLong("SELECT sum(pg_total_relation_size(t)) FROM unnest(ARRAY[" + TABLES + "]::regclass[]) AS t");
    }

    /** {@code pg_total_relation_size} of each statistics table. */
    Map<String, Long> bytesPerTable() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String table : TABLES.replace("'", "").split(",\\s*")) {
            sizes.put(table, queryLong("SELECT pg_total_relation_size('" + table + "')"));
        }
        return sizes;
    }

    long queryLong(String sql) {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery(sql)) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
