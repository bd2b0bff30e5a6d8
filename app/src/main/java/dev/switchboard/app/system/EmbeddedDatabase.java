package dev.switchboard.app.system;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL started from the binaries in the zonky jar, keeping its files in one folder so
 * that data survives restarts. Started before the Spring context; stopped by {@link EmbeddedDatabaseStopper}.
 */
final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final String DATABASE = "postgres";
    private static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path directory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path directory) {
        this.postgres = postgres;
        this.directory = directory;
    }

    static EmbeddedDatabase start(Path directory) {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .start();
            log.info("Embedded PostgreSQL started on port {} with data in {}", postgres.getPort(), directory);
            return new EmbeddedDatabase(postgres, directory);
        } catch (IOException | RuntimeException e) {
            throw new StartupConfigurationException(
                    "The embedded PostgreSQL could not start in " + directory + " (" + e.getMessage()
                            + "). Is another Switchboard using this data directory?",
                    "switchboard.data-dir (env SWITCHBOARD_DATA_DIR), or set switchboard.db.url to use an external PostgreSQL",
                    e);
        }
    }

    Map<String, Object> springProperties() {
        String hostAndDb = "localhost:" + postgres.getPort() + "/" + DATABASE;
        return Map.of(
                "spring.r2dbc.url", "r2dbc:postgresql://" + hostAndDb,
                "spring.r2dbc.username", USER,
                "spring.flyway.url", "jdbc:postgresql://" + hostAndDb,
                "spring.flyway.user", USER);
    }

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
