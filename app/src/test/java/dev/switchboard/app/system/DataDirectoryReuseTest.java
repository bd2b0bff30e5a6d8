package dev.switchboard.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.SwitchboardApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

/** The embedded PostgreSQL keeps its files in the data directory, so data survives a restart. */
class DataDirectoryReuseTest {

    @TempDir
    Path dataDir;

    @Test
    void aRowWrittenInTheFirstStartIsReadInTheSecond() {
        try (ConfigurableApplicationContext first = start()) {
            first.getBean(DatabaseClient.class)
                    .sql("INSERT INTO expert_event (instance_id, kind, reason) VALUES ('test', 'loaded', 'written by the first start')")
                    .fetch().rowsUpdated().block(Duration.ofSeconds(10));
        }
        assertThat(dataDir.resolve("postgres").resolve("PG_VERSION")).exists();

        try (ConfigurableApplicationContext second = start()) {
            String reason = second.getBean(DatabaseClient.class)
                    .sql("SELECT reason FROM expert_event WHERE instance_id = 'test'")
                    .map(row -> row.get("reason", String.class))
                    .one().block(Duration.ofSeconds(10));
            assertThat(reason).isEqualTo("written by the first start");
        }
    }

    @Test
    void theDataDirectoryIsCreatedWhenMissing() throws Exception {
        Path nested = dataDir.resolve("a/b");
        DataDirectory prepared = DataDirectory.prepare(nested.toString());
        assertThat(Files.isDirectory(prepared.root())).isTrue();
        assertThat(prepared.postgresDirectory()).isEqualTo(nested.toAbsolutePath().resolve("postgres"));
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(SwitchboardApplication.class)
                .run("--server.port=0", "--switchboard.data-dir=" + dataDir);
    }
}
