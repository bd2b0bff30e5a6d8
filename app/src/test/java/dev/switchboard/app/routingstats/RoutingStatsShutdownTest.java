package dev.switchboard.app.routingstats;

import static dev.switchboard.app.routingstats.Steps.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.SwitchboardApplication;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Closing the application writes the open, not yet due, window before the database goes away. */
class RoutingStatsShutdownTest {

    private final TestDatabase db = TestDatabase.shared();

    @Test
    void gracefulShutdownClosesAndWritesTheOpenWindow(@TempDir Path dataDir) {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(SwitchboardApplication.class).properties(
                        "server.port=0",
                        "switchboard.data-dir=" + dataDir,
                        "spring.r2dbc.url=" + db.r2dbcUrl(),
                        "spring.r2dbc.username=postgres",
                        "spring.flyway.url=" + db.jdbcUrl(),
                        "spring.flyway.user=postgres",
                        "switchboard.stats.window=1h") // the window cannot fall due during the test
                .run();
        app.getBean(RoutingStatsRecorder.class).recordStep("shutdown-model", null,
                List.of(step(0, 4, new int[][] {{0, 1}, {2, 3}, {1, 2}}, 0)));

        app.close();

        assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_window WHERE model_id = 'shutdown-model'")).isEqualTo(6);
        assertThat(db.queryLong("SELECT max(window_seconds) FROM expert_window WHERE model_id = 'shutdown-model'"))
                .as("closed early: shorter than the 1 h window").isLessThan(3600);
    }
}
