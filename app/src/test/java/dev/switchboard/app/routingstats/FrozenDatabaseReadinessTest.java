package dev.switchboard.app.routingstats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.SwitchboardApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With PostgreSQL frozen (SIGSTOP), readiness still answers within a second (DOWN: the database does not
 * answer), so a Kubernetes probe with its default 1 s timeout sees a status instead of a hang.
 */
class FrozenDatabaseReadinessTest {

    private final TestDatabase db = TestDatabase.shared();

    @Test
    void readinessAnswersWithinASecondWhileTheDatabaseIsFrozen(@TempDir Path dataDir) throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SwitchboardApplication.class).run(
                "--server.port=0", "--switchboard.data-dir=" + dataDir, "--switchboard.model=" + ServingTest.FIXTURE,
                "--spring.r2dbc.url=" + db.r2dbcUrl(), "--spring.r2dbc.username=postgres",
                "--spring.flyway.url=" + db.jdbcUrl(), "--spring.flyway.user=postgres")) {
            URI readiness = URI.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port")
                    + "/actuator/health/readiness");
            HttpClient http = HttpClient.newHttpClient();
            awaitReady(http, readiness);

            int status;
            try {
                db.freeze();
                HttpRequest probe = HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(1)).build();
                status = http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode(); // throws after 1 s without an answer
            } finally {
                db.thaw();
            }
            assertThat(status).as("readiness while the database is frozen").isEqualTo(503);
            awaitReady(http, readiness); // and back once it answers again
        }
    }

    /** Ready once the model has loaded and the database answers. */
    private static void awaitReady(HttpClient http, URI readiness) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline
                && (status = http.send(HttpRequest.newBuilder(readiness).build(), HttpResponse.BodyHandlers.discarding()).statusCode()) != 200) {
            Thread.sleep(100);
        }
        assertThat(status).as("readiness").isEqualTo(200);
    }
}
