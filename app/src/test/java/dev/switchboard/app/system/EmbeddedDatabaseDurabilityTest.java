package dev.switchboard.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.SwitchboardApplication;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The embedded PostgreSQL runs durable, not with the library's test defaults ({@code -F}, asynchronous
 * commit): a commit the statistics writer was told about survives a PostgreSQL or OS crash. Read back from
 * the running server, as an operator would check it.
 */
class EmbeddedDatabaseDurabilityTest {

    @Test
    void theRunningServerSyncsEveryCommitToDisk(@TempDir Path dataDir) {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SwitchboardApplication.class)
                .run("--server.port=0", "--switchboard.data-dir=" + dataDir, "--switchboard.model=none")) {
            DatabaseClient database = app.getBean(DatabaseClient.class);

            assertThat(show(database, "fsync")).isEqualTo("on");
            assertThat(show(database, "synchronous_commit")).isEqualTo("on");
            assertThat(show(database, "full_page_writes")).isEqualTo("on");
        }
    }

    private static String show(DatabaseClient database, String setting) {
        return database.sql("SHOW " + setting).map(row -> row.get(0, String.class)).one().block(Duration.ofSeconds(10));
    }
}
