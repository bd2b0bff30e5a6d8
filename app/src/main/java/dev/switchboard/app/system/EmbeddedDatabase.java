package dev.switchboard.app.system;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL started from the binaries in the zonky jar, keeping its files in one folder so
 * that data survives restarts. Started before the Spring context; stopped by {@link EmbeddedDatabaseStopper}
 * after everything that writes to it, and by nothing else (the library's own JVM shutdown hook is off:
 * it stopped the server in parallel with the drain and lost the final statistics flush).
 *
 * <p>Durable, unlike the library's test defaults: see {@link #DURABLE_SETTINGS}.
 */
final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final String DATABASE = "postgres";
    private static final String USER = "postgres";
    /**
     * The library starts the server with {@code -F} (fsync off) and {@code synchronous_commit=off}, fine for
     * throw-away test databases: a server crash then loses commits the application was told succeeded, and an
     * OS crash can corrupt the cluster. These {@code -c} settings come after {@code -F} on the command line
     * and win (the last setting of a parameter counts). They are PostgreSQL's own defaults.
     */
    static final Map<String, String> DURABLE_SETTINGS = Map.of(
            "fsync", "on",
            "synchronous_commit", "on",
            "full_page_writes", "on");
    /** Crash recovery after a leftover server was killed can take longer than the library's 10 s. */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);

    private final EmbeddedPostgres postgres;
    private final Path directory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path directory) {
        this.postgres = postgres;
        this.directory = directory;
    }

    static EmbeddedDatabase start(DataDirectory dataDir) {
        Path directory = dataDir.postgresDirectory();
        LeftoverPostmaster.stopIfOwnerIsGone(directory);
        PostgresLog serverLog = PostgresLog.open(dataDir.postgresLog());
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(STARTUP_WAIT)
                    // initdb's and the server's output: kept for the operator, and the real reason when start-up fails
                    .setOutputRedirector(Redirect.appendTo(serverLog.file().toFile()))
                    .setErrorRedirector(Redirect.appendTo(serverLog.file().toFile()));
            DURABLE_SETTINGS.forEach(builder::setServerConfig);
            EmbeddedPostgres postgres = builder.start();
            log.info("Embedded PostgreSQL started on port {} with data in {} (log: {})", postgres.getPort(), directory,
                    serverLog.file());
            return new EmbeddedDatabase(postgres, directory);
        } catch (IOException | RuntimeException e) {
            throw startFailure(directory, serverLog, e);
        }
    }

    private static StartupConfigurationException startFailure(Path directory, PostgresLog serverLog, Exception e) {
        if (e instanceof IllegalStateException && String.valueOf(e.getMessage()).startsWith("could not lock")) {
            // Another Switchboard took the directory between our check and the library's lock.
            return new StartupConfigurationException("The data directory " + directory.getParent()
                    + " is in use by another running Switchboard; two instances cannot share one data directory.",
                    DataDirectory.SETTING + " to a folder of its own", e);
        }
        String reason = serverLog.errorsSinceOpened();
        return new StartupConfigurationException("The embedded PostgreSQL could not start in " + directory + ": "
                + (reason.isEmpty() ? e.getMessage() : reason) + " (full output in " + serverLog.file() + ")",
                DataDirectory.SETTING + ", or set switchboard.db.url to use an external PostgreSQL", e);
    }

    Map<String, Object> springProperties() {
        String hostAndDb = "localhost:" + postgres.getPort() + "/" + DATABASE;
        return Map.of(
                "spring.r2dbc.url", "r2dbc:postgresql://" + hostAndDb,
                "spring.r2dbc.username", USER,
                "spring.flyway.url", "jdbc:postgresql://" + hostAndDb,
                "spring.flyway.user", USER);
    }

    /** Stops the server (fast shutdown with a checkpoint, at most the library's 5 s wait); idempotent. */
    @Override
    public void close() {
        try {
            postgres.close();
            log.info("Embedded PostgreSQL in {} stopped", directory);
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL in {} did not stop cleanly: {}", directory, e.getMessage());
        }
    }
}
