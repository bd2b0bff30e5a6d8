package dev.switchboard.tools.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends streaming chat completions ({@code POST /v1/chat/completions}, {@code "stream": true} with the
 * usage chunk) and times every line as it arrives. Thread-safe: one shared {@link HttpClient}.
 */
final class ChatStreamClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(3);

    private final HttpClient http;
    private final URI endpoint;
    private final @Nullable String apiKey;

    ChatStreamClient(URI baseUrl, @Nullable String apiKey) {
        // HTTP/1.1: one connection per stream, as most OpenAI clients do; no h2c upgrade on loopback.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        this.endpoint = baseUrl.resolve("/v1/chat/completions");
        this.apiKey = apiKey;
    }

    /** Streams one completion of {@code prompt} and returns how it went; never throws for a failed request. */
    StreamResult stream(String model, String prompt, int maxTokens, long seed) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body(model, prompt, maxTokens, seed)));
        if (apiKey != null) request.header("Authorization", "Bearer " + apiKey);
        ChatStreamReader reader = new ChatStreamReader();
        long start = System.nanoTime();
        try {
            HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = response.body()) {
                if (response.statusCode() != 200) {
                    reader.fail("HTTP " + response.statusCode() + ": " + String.join(" ", lines.limit(5).toList()));
                } else {
                    for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                        String line = it.next();
                        reader.accept(line, System.nanoTime());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            reader.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reader.fail("interrupted");
        }
        return reader.result(start, System.nanoTime());
    }

    /** The first model id of {@code GET /v1/models}. */
    String firstModel() {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve("/v1/models")).timeout(Duration.ofSeconds(30)).GET();
        if (apiKey != null) request.header("Authorization", "Bearer " + apiKey);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /v1/models answered " + response.statusCode() + ": " + response.body());
            }
            String id = JSON.readTree(response.body()).path("data").path(0).path("id").asString("");
            if (id.isEmpty()) throw new IllegalStateException("GET /v1/models lists no model: " + response.body());
            return id;
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + endpoint.resolve("/v1/models") + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String body(String model, String prompt, int maxTokens, long seed) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        body.put("max_tokens", maxTokens);
        body.put("temperature", 1.0);
        body.put("seed", seed);
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        return JSON.writeValueAsString(body);
    }
}
