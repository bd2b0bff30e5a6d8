package dev.switchboard.app.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.SwitchboardApplication;
import dev.switchboard.app.routingstats.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Switchboard replica in this JVM on its own port, data folder and plugins folder, sharing the test
 * PostgreSQL with the others (as replicas behind a load balancer share one database), and its HTTP API.
 */
final class ReplicaApp implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newHttpClient();
    final String name;
    final URI base;

    private ReplicaApp(String name, ConfigurableApplicationContext context) {
        this.name = name;
        this.context = context;
        this.base = URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    }

    /** Starts replica {@code name} over {@code db} and waits until it is ready (model loaded, configuration synced). */
    static ReplicaApp start(String name, TestDatabase db, Path folder) throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SwitchboardApplication.class).run(
                "--server.port=0", "--switchboard.data-dir=" + folder.resolve(name + "-data"),
                "--switchboard.plugins-dir=" + folder.resolve(name + "-plugins"),
                "--switchboard.model=" + ServingTest.FIXTURE, "--switchboard.stats.instance=" + name,
                "--switchboard.security.admin-token=" + ServingTest.ADMIN_TOKEN,
                "--switchboard.security.api-key-sha256=" + ServingTest.API_KEY_SHA256,
                "--spring.r2dbc.url=" + db.r2dbcUrl(), "--spring.r2dbc.username=postgres",
                "--spring.flyway.url=" + db.jdbcUrl(), "--spring.flyway.user=postgres");
        ReplicaApp replica = new ReplicaApp(name, context);
        replica.awaitReady();
        return replica;
    }

    void awaitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline && (status = send(HttpRequest.newBuilder(base.resolve("/actuator/health/readiness")),
                null).statusCode()) != 200) {
            Thread.sleep(100);
        }
        assertThat(status).as("readiness of replica %s", name).isEqualTo(200);
    }

    /** An admin call; answers the JSON body after checking the status. */
    JsonNode admin(String method, String path, String body, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + ServingTest.ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s on replica %s: %s", method, path, name, response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body().isEmpty() ? "null" : response.body());
    }

    /** Uploads a plugin jar's bytes through {@code POST /api/admin/plugins}. */
    HttpResponse<String> upload(byte[] jar) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve("/api/admin/plugins")).header("Authorization", "Bearer " + ServingTest.ADMIN_TOKEN)
                .header("Content-Type", "application/java-archive").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(jar)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Per prompt token, the experts chosen at {@code layer} for {@code input} (the prefill's routing trace). */
    List<List<Integer>> routed(String input, int layer) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/api/route")).header("Authorization", "Bearer " + ServingTest.API_KEY)
                .header("Content-Type", "application/json"), "{\"input\":\"" + input + "\"}");
        assertThat(response.statusCode()).as("route on replica %s: %s", name, response.body()).isEqualTo(200);
        List<List<Integer>> tokens = new ArrayList<>();
        for (JsonNode token : JSON.readTree(response.body()).path("tokens")) {
            List<Integer> experts = new ArrayList<>();
            token.path("layers").path(layer).path("experts").forEach(e -> experts.add(e.asInt()));
            tokens.add(experts);
        }
        return tokens;
    }

    /**
     * A text completion of at most four tokens (no chat template: its render deadline is not what these tests are
     * about); answers the response, with its usage.
     */
    JsonNode complete(String prompt) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/v1/completions"))
                .header("Authorization", "Bearer " + ServingTest.API_KEY).header("Content-Type", "application/json"),
                "{\"model\":\"" + ServingTest.MODEL + "\",\"max_tokens\":4,\"prompt\":\"" + prompt + "\"}");
        assertThat(response.statusCode()).as("completion on replica %s: %s", name, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String body) throws IOException, InterruptedException {
        if (body != null) {
            request.POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until plugin {@code id} is (or, with {@code started} false, is no longer) {@code STARTED} here. */
    void awaitPlugin(String id, boolean started) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            boolean found = false;
            for (JsonNode plugin : admin("GET", "/api/admin/plugins", null, 200)) {
                found |= plugin.path("id").asString().equals(id) && plugin.path("state").asString().equals("STARTED");
            }
            if (found == started) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("plugin " + id + (started ? " not started" : " still started") + " on " + name + " within 20 s");
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
