package dev.switchboard.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SIGTERM to the packaged application while clients stream completions, as Kubernetes stops a pod: the
 * process ends within the documented shutdown budget (docs/API.md) with the default drain, and after a
 * restart of its embedded PostgreSQL every request a client saw finish is stored, with the routing counts
 * of every token, up to the window closed at shutdown. (Before, the database stopped about a second after
 * SIGTERM, in parallel with the drain, and the final flush was lost.)
 */
class GracefulShutdownIT {

    /** docs/API.md: drain-timeout (10 s by default) + at most 15 s for the rest. */
    static final Duration SHUTDOWN_BUDGET = Duration.ofSeconds(25);
    private static final String FIXTURE = Path.of("../router-service/src/test/resources/fixtures/tiny-gqa-top2").toAbsolutePath().toString();
    private static final int LAYERS = 2; // tiny-gqa-top2
    private static final int TOP_K = 2;
    private static final int CLIENTS = 6;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path workDir;

    /** A stream the client read to its [DONE], with the usage the server reported. */
    record Finished(String id, long promptTokens, long completionTokens, String finishReason, Instant at) {}

    @Test
    void sigtermUnderLoadEndsWithinTheBudgetAndKeepsEveryFinishedRequestsStatistics() throws Exception {
        Path dataDir = workDir.resolve("data");
        String domain = "sigterm";
        ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
        Duration shutdown;
        try (AppProcess app = AppProcess.start(workDir, "app", "--switchboard.data-dir=" + dataDir, "--switchboard.model=" + FIXTURE,
                "--switchboard.plugins-dir=" + workDir.resolve("plugins"))) {
            app.awaitReady(Duration.ofSeconds(180));
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int maxTokens = 200 + 400 * c; // some finish before SIGTERM, the longest run into the drain
                Thread client = new Thread(() -> streamUntilRefused(app, domain, maxTokens, finished), "client-" + c);
                client.start();
                clients.add(client);
            }
            Thread.sleep(3000); // under load: streams running, some finished already

            long terminating = System.nanoTime();
            app.terminate();
            int exit = app.awaitExit(SHUTDOWN_BUDGET.plusSeconds(30));
            shutdown = Duration.ofNanos(System.nanoTime() - terminating);
            for (Thread client : clients) client.join(30_000);
            assertThat(exit).as(app.output()).isEqualTo(143); // 128 + SIGTERM: ended by the signal, after the shutdown hooks
        }
        System.out.printf("SIGTERM under load: %d streams finished, shutdown took %d ms%n", finished.size(), shutdown.toMillis());
        assertThat(shutdown).as("SIGTERM to exit").isLessThan(SHUTDOWN_BUDGET);
        assertThat(finished).as("streams finished").isNotEmpty();

        try (EmbeddedPostgres restarted = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false).start(); Connection db = restarted.getPostgresDatabase().getConnection()) {
            String in = String.join(", ", finished.stream().map(f -> "'" + f.id() + "'").toList());
            Map<String, Long> stored = new HashMap<>();
            try (Statement s = db.createStatement();
                    ResultSet rows = s.executeQuery("SELECT id, completion_tokens FROM completion_request WHERE id IN (" + in + ")")) {
                while (rows.next()) stored.put(rows.getString(1), rows.getLong(2));
            }
            for (Finished f : finished) {
                assertThat(stored).as("stored request of %s (%s, %d tokens)", f.id(), f.finishReason(), f.completionTokens())
                        .containsEntry(f.id(), f.completionTokens());
            }
            // Every routed token is a prompt token or a generated one fed back (all but the last).
            long routedTokens = finished.stream().mapToLong(f -> f.promptTokens() + f.completionTokens() - 1).sum();
            assertThat(queryLong(db, "SELECT sum(any_choice) FROM expert_window WHERE domain = '" + domain + "'"))
                    .as("expert assignments stored").isEqualTo(routedTokens * LAYERS * TOP_K);
            Instant lastFinished = finished.stream().map(Finished::at).max(Instant::compareTo).orElseThrow();
            Instant lastWindowEnd = Instant.ofEpochMilli(queryLong(db,
                    "SELECT (extract(epoch FROM max(window_start + window_seconds * INTERVAL '1 second')) * 1000)::bigint FROM expert_window"));
            assertThat(lastWindowEnd).as("end of the last stored window").isAfterOrEqualTo(lastFinished.minusSeconds(1));
        }
    }

    /** Streams completions back to back until the server refuses (503 while draining) or is gone. */
    private static void streamUntilRefused(AppProcess app, String domain, int maxTokens, ConcurrentLinkedQueue<Finished> finished) {
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"model\":\"tiny-gqa-top2\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"temperature\":0,"
                + "\"max_tokens\":" + maxTokens + ",\"metadata\":{\"domain\":\"" + domain + "\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a long story about experts\"}]}";
        while (true) {
            try {
                HttpRequest request = HttpRequest.newBuilder(app.uri("/v1/chat/completions")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
                if (response.statusCode() != 200) {
                    response.body().close();
                    return; // draining: no new work
                }
                Finished result = read(response.body());
                if (result != null) finished.add(result);
            } catch (Exception e) {
                return; // the server is gone
            }
        }
    }

    /** The stream's id, finish reason and usage, or null when it broke off before [DONE]. */
    private static Finished read(Stream<String> lines) {
        String id = null;
        String finishReason = null;
        JsonNode usage = null;
        boolean done = false;
        for (String line : (Iterable<String>) lines::iterator) {
            if (!line.startsWith("data: ")) continue;
            String data = line.substring("data: ".length());
            if (data.equals("[DONE]")) {
                done = true;
                continue;
            }
            JsonNode chunk = JSON.readTree(data);
            id = chunk.get("id").asString();
            JsonNode choices = chunk.get("choices");
            if (choices != null && !choices.isEmpty() && choices.get(0).hasNonNull("finish_reason")) {
                finishReason = choices.get(0).get("finish_reason").asString();
            }
            if (chunk.hasNonNull("usage")) usage = chunk.get("usage");
        }
        if (!done || usage == null) return null;
        return new Finished(id, usage.get("prompt_tokens").asLong(), usage.get("completion_tokens").asLong(), finishReason, Instant.now());
    }

    private static long queryLong(Connection db, String sql) throws Exception {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
