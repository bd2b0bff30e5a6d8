package dev.switchboard.app.experts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The expert and plugin admin API, the routing trace and streaming as a test client sees them, plus putting the
 * served model back as loaded (four swiglu experts per layer, all enabled, no plugin jar) after each test.
 */
final class ExpertAdminClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebTestClient admin;
    private final WebTestClient inference;
    private final int port;

    ExpertAdminClient(WebTestClient anonymous, WebTestClient inference, int port) {
        this.admin = anonymous.mutate().responseTimeout(Duration.ofSeconds(60))
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ServingTest.ADMIN_TOKEN).build();
        this.inference = inference;
        this.port = port;
    }

    JsonNode table() {
        return json(admin.get().uri("/api/admin/experts").exchange().expectStatus().isOk());
    }

    /** GETs an admin route and expects 200; answers the body. */
    JsonNode get(String uri) {
        return json(admin.get().uri(uri).exchange().expectStatus().isOk());
    }

    /** POSTs to an admin route and expects {@code status}; answers the body. */
    JsonNode post(String uri, String body, int status) {
        return json(admin.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isEqualTo(status));
    }

    JsonNode delete(String uri, int status) {
        return json(admin.delete().uri(uri).exchange().expectStatus().isEqualTo(status));
    }

    /** The prefill's routing trace of {@code input}. */
    JsonNode route(String input) {
        return json(inference.post().uri("/api/route").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"input\":\"" + input + "\"}").exchange().expectStatus().isOk());
    }

    /** Per prompt token, the experts chosen at {@code layer}. */
    static List<List<Integer>> chosen(JsonNode route, int layer) {
        List<List<Integer>> tokens = new ArrayList<>();
        for (JsonNode token : route.path("tokens")) {
            List<Integer> experts = new ArrayList<>();
            token.path("layers").path(layer).path("experts").forEach(e -> experts.add(e.asInt()));
            tokens.add(experts);
        }
        return tokens;
    }

    /** A streamed chat completion's raw SSE body. */
    String stream(String json) {
        return WebClient.create("http://127.0.0.1:" + port).post().uri("/v1/chat/completions")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ServingTest.API_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json)
                .exchangeToMono(response -> DataBufferUtils.join(response.bodyToFlux(DataBuffer.class))
                        .map(buffer -> {
                            String text = buffer.toString(StandardCharsets.UTF_8);
                            DataBufferUtils.release(buffer);
                            return text;
                        }))
                .block(Duration.ofSeconds(60));
    }

    /** The JSON chunks of an SSE body, failing on an error event; {@code [DONE]} must end it. */
    static List<JsonNode> chunks(String body) {
        List<JsonNode> chunks = new ArrayList<>();
        boolean done = false;
        for (String line : body.split("\n")) {
            if (!line.startsWith("data: ")) {
                continue;
            }
            String data = line.substring("data: ".length());
            if (data.equals("[DONE]")) {
                done = true;
                continue;
            }
            JsonNode chunk = JSON.readTree(data);
            assertThat(chunk.has("error")).as("error event in the stream: %s", data).isFalse();
            chunks.add(chunk);
        }
        assertThat(done).as("the stream ended with [DONE]").isTrue();
        return chunks;
    }

    /** Per generated token (in order), per layer, the experts it was routed to. */
    static List<int[][]> routedTokens(List<JsonNode> chunks) {
        List<int[][]> tokens = new ArrayList<>();
        for (JsonNode chunk : chunks) {
            for (JsonNode token : chunk.path("choices").path(0).path("routed_experts")) {
                int[][] layers = new int[token.size()][];
                for (int l = 0; l < layers.length; l++) {
                    layers[l] = new int[token.path(l).size()];
                    for (int k = 0; k < layers[l].length; k++) {
                        layers[l][k] = token.path(l).path(k).asInt();
                    }
                }
                tokens.add(layers);
            }
        }
        return tokens;
    }

    static String finishReason(List<JsonNode> chunks) {
        return chunks.stream().map(c -> c.path("choices").path(0).path("finish_reason"))
                .filter(r -> r.isString()).map(JsonNode::asString).reduce((a, b) -> b).orElse(null);
    }

    /** Copies a plugin jar into the watched folder, rescans, and waits until it is STARTED; answers its label. */
    String install(Path jar, String id) throws IOException {
        Path folder = Files.createDirectories(Path.of(ServingTest.PLUGINS));
        Files.copy(jar, folder.resolve(id + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        post("/api/admin/plugins/rescan", "", 200);
        JsonNode plugin = plugin(p -> p.path("id").asString().equals(id) && p.path("state").asString().equals("STARTED"));
        return plugin.path("id").asString() + "@" + plugin.path("version").asString();
    }

    /** {@code GET /api/admin/plugins}. */
    JsonNode plugins() {
        return json(admin.get().uri("/api/admin/plugins").exchange().expectStatus().isOk());
    }

    JsonNode plugin(Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode plugin : json(admin.get().uri("/api/admin/plugins").exchange().expectStatus().isOk())) {
                if (wanted.test(plugin)) {
                    return plugin;
                }
            }
            sleep(100);
        }
        throw new AssertionError("no plugin as expected within 20 s");
    }

    /** Polls the stored events until one matches (they are written by the statistics flusher, every second). */
    JsonNode awaitEvent(Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode event : json(admin.get().uri("/api/stats/events?limit=1000").exchange().expectStatus().isOk())) {
                if (wanted.test(event)) {
                    return event;
                }
            }
            sleep(200);
        }
        throw new AssertionError("no stored expert event as expected within 20 s");
    }

    /** Puts the model back as loaded: no contributed expert, swiglu everywhere, all enabled; no plugin jar. */
    void restore() throws IOException {
        try (var jars = Files.list(Files.createDirectories(Path.of(ServingTest.PLUGINS)))) {
            for (Path jar : jars.toList()) {
                Files.delete(jar);
            }
        }
        post("/api/admin/plugins/rescan", "", 200); // unloads them: their experts leave the model first
        JsonNode table = table();
        for (JsonNode layer : table.path("layers")) {
            for (JsonNode expert : layer.path("experts")) {
                if (!expert.path("origin").asString().equals("checkpoint")) {
                    delete("/api/admin/experts/contributed/" + expert.path("origin").asString(), 200);
                }
            }
        }
        for (JsonNode layer : table().path("layers")) {
            int l = layer.path("layer").asInt();
            for (JsonNode expert : layer.path("experts")) {
                if (!expert.path("kind").asString().equals("swiglu")) {
                    post("/api/admin/experts/layers/" + l + "/replace", "{\"kind\":\"swiglu\"}", 200);
                    break;
                }
            }
            for (JsonNode expert : layer.path("experts")) {
                if (!expert.path("state").asString().equals("enabled")) {
                    post("/api/admin/experts/layers/" + l + "/experts/" + expert.path("index").asInt() + "/enable", "", 200);
                }
            }
        }
        for (JsonNode layer : table().path("layers")) {
            assertThat(layer.path("numExperts").asInt()).isEqualTo(4);
        }
    }

    private static JsonNode json(WebTestClient.ResponseSpec response) {
        byte[] body = response.expectBody().returnResult().getResponseBody();
        return JSON.readTree(body == null ? "null" : new String(body, StandardCharsets.UTF_8));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
