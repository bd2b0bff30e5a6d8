package dev.switchboard.app.routingstats;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * One real PostgreSQL (zonky embedded binaries) for the statistics tests, migrated with the real Flyway
 * scripts from the {@code db} module. It can be stopped and started again on the same port and data
 * folder, to test what the flusher does while the database is away. Assertions read it over plain
 * JDBC, independently of the R2DBC code under test.
 */
public final class TestDatabase {

    static final String R2DBC_URL_PROPERTY = "switchboard.test.r2dbc-url";
    static final String JDBC_URL_PROPERTY = "switchboard.test.jdbc-url";

    private static TestDatabase shared;

    private final Path directory;
    private final int port;
    private EmbeddedPostgres postgres;

    private TestDatabase(Path directory, int port) {
        this.directory = directory;
        this.port = port;
        start();
        Flyway.configure().dataSource(jdbc()).locations("classpath:db/migration").load().migrate();
        System.setProperty(R2DBC_URL_PROPERTY, r2dbcUrl());
        System.setProperty(JDBC_URL_PROPERTY, jdbcUrl());
    }

    /** The JVM-wide instance (started once; surefire runs the test classes in one JVM). */
    public static synchronized TestDatabase shared() {
        if (shared == null) {
            try {
                shared = new TestDatabase(Files.createTempDirectory("switchboard-stats-pg"), freePort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    void start() {
        try {
            postgres = EmbeddedPostgres.builder().setDataDirectory(directory).setCleanDataDirectory(false).setPort(port).start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start in " + directory, e);
        }
    }

    void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Freezes the server as a hung host or disk would: SIGSTOP to the postmaster and every backend. Connections
     * still open and new ones both wait without an answer or an error. Always {@link #thaw()} in a finally block.
     */
    void freeze() {
        // The postmaster first: once it is stopped it forks no new backend, so the listing of its children that
        // follows is complete. (Listing first let a backend forked in between keep answering, readiness included.)
        long postmaster = postmasterPid();
        signal("-STOP", List.of(postmaster));
        signal("-STOP", ProcessHandle.of(postmaster).orElseThrow().descendants().map(ProcessHandle::pid).toList());
    }

    void thaw() {
        long postmaster = postmasterPid();
        List<Long> all = new ArrayList<>(ProcessHandle.of(postmaster).orElseThrow().descendants().map(ProcessHandle::pid).toList());
        all.add(postmaster);
        signal("-CONT", all);
    }

    private static void signal(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        try {
            // A backend may end between the listing and the signal; kill then exits 1 but has signalled the others,
            // so only the states read back count. Its output is dropped for the same reason.
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            // Signals are delivered asynchronously: wait (briefly) until every signalled process shows the new state.
            boolean stopping = signal.equals("-STOP");
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (!pids.stream().allMatch(pid -> isStopped(pid).map(s -> s == stopping).orElse(true))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(command + " did not " + (stopping ? "stop" : "continue") + " the server");
                }
                Thread.sleep(10);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether the process is stopped by a signal (state T in /proc/PID/stat); empty once it has ended (or is a zombie). */
    private static java.util.Optional<Boolean> isStopped(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(") ") + 2);
            // A backend that exits while its postmaster is stopped stays a zombie (Z) until the postmaster runs
            // again and reaps it: it has ended, like one already gone.
            return state == 'Z' || state == 'X' ? java.util.Optional.empty() : java.util.Optional.of(state == 'T');
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** The first line of postmaster.pid (pg_ctl, the library's process, has exited by now). */
    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(directory.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bounded connect and read times: a server left frozen fails the test instead of hanging the build. */
    DataSource jdbc() {
        return postgres.getDatabase("postgres", "postgres", Map.of("connectTimeout", "10", "socketTimeout", "60"));
    }

    int port() {
        return port;
    }

    public String r2dbcUrl() {
        return "r2dbc:postgresql://postgres@localhost:" + port + "/postgres";
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /** A connection factory without a pool: every operation connects anew, so a restarted server is found at once. */
    ConnectionFactory connectionFactory() {
        return ConnectionFactories.get(r2dbcUrl() + "?connectTimeout=PT2S");
    }

    void truncateStatistics() {
        execute("TRUNCATE expert_window, layer_window, completion_request, token_trace, expert_rollup, layer_rollup, expert_event,"
                + " expert_5m, expert_1h, layer_5m, layer_1h, expert_total_1m, expert_total_5m, expert_total_1h, layer_total_1m,"
                + " layer_total_5m, layer_total_1h, expert_total_window, layer_total_window, token_count_1h, token_count_1d");
    }

    public void execute(String sql) {
        try (Connection c = jdbc().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public List<Map<String, Object>> query(String sql) {
        try (Connection c = jdbc().getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (r.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    row.put(r.getMetaData().getColumnLabel(i), r.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public long queryLong(String sql) {
        Object value = query(sql).get(0).values().iterator().next();
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
