package dev.switchboard.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two packaged replicas (separate JVMs, as two pods) on one external PostgreSQL: replica B is killed with
 * SIGKILL (no shutdown hook, its heartbeat simply stops), the expert configuration changes twice through A
 * while B is down, and B started again on the same data folder serves the newest version — the same expert
 * table A serves — as soon as it reports ready.
 */
class KilledReplicaReconcilesIT {

    private static final String FIXTURE = Path.of("../router-service/src/test/resources/fixtures/tiny-gqa-top2").toAbsolutePath().toString();
    private static final String ADMIN_TOKEN = "killed-replica-admin";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path workDir;

    @Test
    void aReplicaKilledWithSigkillAndRestartedAppliesTheNewestExpertConfiguration() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(workDir.resolve("postgres")).start();
                AppProcess a = replica(postgres, "a")) {
            a.awaitReady(Duration.ofSeconds(180));
            long before;
            try (AppProcess b = replica(postgres, "b")) {
                b.awaitReady(Duration.ofSeconds(180));
                before = admin(a, "POST", "/api/admin/experts/layers/0/experts/1/disable").path("configurationVersion").asLong();
                awaitVersion(b, before);
                b.kill();
            }

            admin(a, "POST", "/api/admin/experts/layers/1/experts/0/disable");
            long newest = admin(a, "POST", "/api/admin/experts/layers/0/experts/1/enable").path("configurationVersion").asLong();
            assertThat(newest).as("two changes stored while B was down").isEqualTo(before + 2);

            try (AppProcess restarted = replica(postgres, "b")) {
                restarted.awaitReady(Duration.ofSeconds(180));
                JsonNode onB = admin(restarted, "GET", "/api/admin/experts");
                assertThat(onB.path("configurationVersion").asLong()).as("the restarted replica's version").isEqualTo(newest);
                assertThat(states(onB)).as("B's expert states against A's").isEqualTo(states(admin(a, "GET", "/api/admin/experts")));
                assertThat(state(onB, 0, 1)).isEqualTo("enabled");
                assertThat(state(onB, 1, 0)).isEqualTo("disabled");
            }
        }
    }

    /** Replica {@code name}: its own data folder (so B's restart finds its old one), the shared database. */
    private AppProcess replica(EmbeddedPostgres postgres, String name) throws Exception {
        return AppProcess.start(workDir, name + "-" + System.nanoTime(), List.of(), List.of(),
                "--switchboard.db.url=jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres",
                "--switchboard.db.username=postgres", "--switchboard.db.password=postgres",
                "--switchboard.data-dir=" + workDir.resolve(name + "-data"), "--switchboard.plugins-dir=" + workDir.resolve(name + "-plugins"),
                "--switchboard.model=" + FIXTURE, "--switchboard.stats.instance=replica-" + name,
                "--switchboard.security.admin-token=" + ADMIN_TOKEN);
    }

    private void awaitVersion(AppProcess replica, long version) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (admin(replica, "GET", "/api/admin/experts").path("configurationVersion").asLong() != version
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(admin(replica, "GET", "/api/admin/experts").path("configurationVersion").asLong()).isEqualTo(version);
    }

    private JsonNode admin(AppProcess replica, String method, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(replica.uri(path)).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> states(JsonNode table) {
        List<String> states = new ArrayList<>();
        for (JsonNode layer : table.path("layers")) {
            for (JsonNode expert : layer.path("experts")) {
                states.add(layer.path("layer").asInt() + "/" + expert.path("index").asInt() + "=" + expert.path("state").asString());
            }
        }
        return states;
    }

    private static String state(JsonNode table, int layer, int expert) {
        return table.path("layers").path(layer).path("experts").path(expert).path("state").asString();
    }
}
