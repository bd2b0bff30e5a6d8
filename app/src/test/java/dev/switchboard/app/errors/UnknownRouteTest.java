package dev.switchboard.app.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.RawHttp;
import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * An unknown path is 404 for everyone, a known path with another method 405, and the firewall's refusals 400,
 * each with OpenAI's error body; nothing behind them runs.
 */
class UnknownRouteTest extends ServingTestBase {

    private static final List<String> UNKNOWN = List.of("/anything", "/v1/embeddings", "/v1/chat/completion", "/api/nothing",
            "/v2/models", "/favicon.png");

    @Test
    void unknownPathsAre404ForEveryCaller() {
        for (String path : UNKNOWN) {
            for (WebTestClient caller : List.of(anonymous, web, as(ServingTest.ADMIN_TOKEN), as("sk-wrong"))) {
                caller.get().uri(path).exchange().expectStatus().isNotFound()
                        .expectBody()
                        .jsonPath("$.error.type").isEqualTo("invalid_request_error")
                        .jsonPath("$.error.message").isEqualTo("Invalid URL (GET " + path + ")")
                        .jsonPath("$.error").value(error -> assertThat(new TreeSet<Object>(((Map<?, ?>) error).keySet()))
                                .containsExactly("code", "message", "param", "type"));
            }
            anonymous.post().uri(path).exchange().expectStatus().isNotFound();
        }
    }

    /** A file missing under a public static folder is an unknown URL like any other, not a type of its own. */
    @Test
    void aMissingStaticFileIs404LikeAnUnknownPath() {
        for (String path : List.of("/assets/missing.js", "/assets/deep/er/missing.css")) {
            for (WebTestClient caller : List.of(anonymous, as(ServingTest.ADMIN_TOKEN))) {
                caller.get().uri(path).exchange().expectStatus().isNotFound()
                        .expectHeader().contentType("application/json")
                        .expectBody()
                        .jsonPath("$.error.type").isEqualTo("invalid_request_error")
                        .jsonPath("$.error.code").isEqualTo("unknown_url")
                        .jsonPath("$.error.message").isEqualTo("Invalid URL (GET " + path + ")")
                        .jsonPath("$.error").value(error -> assertThat(new TreeSet<Object>(((Map<?, ?>) error).keySet()))
                                .containsExactly("code", "message", "param", "type"));
            }
        }
    }

    @Test
    void aKnownPathWithAnotherMethodIs405() {
        anonymous.get().uri("/v1/chat/completions").exchange().expectStatus().isEqualTo(405)
                .expectHeader().valueEquals(HttpHeaders.ALLOW, "POST")
                .expectBody().jsonPath("$.error.type").isEqualTo("invalid_request_error");
        web.delete().uri("/v1/models").exchange().expectStatus().isEqualTo(405);
    }

    @Test
    void headIsAnsweredWhereGetIs() {
        anonymous.head().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        anonymous.head().uri("/v1/models").exchange().expectStatus().isUnauthorized();
        web.head().uri("/v1/models").exchange().expectStatus().isOk();
    }

    @Test
    void firewallRefusalsAre400WithAnOpenAiBody() throws IOException {
        for (String requestLine : List.of("GET /v1/models%00 HTTP/1.1", "GET /v1/../actuator/prometheus HTTP/1.1",
                "GET /assets/%2e%2e/application.yml HTTP/1.1", "TRACE / HTTP/1.1")) {
            RawHttp.Response response = RawHttp.exchange(port, requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertThat(response.status()).as(requestLine).isEqualTo(400);
            assertThat(response.headers()).as(requestLine).containsIgnoringCase("Content-Type: application/json");
            assertThat(response.body()).as(requestLine)
                    .contains("\"type\":\"invalid_request_error\"", "\"code\":\"request_rejected\"", "\"param\":null");
        }
    }

    private WebTestClient as(String token) {
        return anonymous.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token).build();
    }
}
