package dev.switchboard.app.routingstats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.SwitchboardApplication;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Issue 5's "done means": after N completion requests against the served model the statistics hold
 * exactly one row of counts per routed token, layer and top-k slot, even when PostgreSQL is stopped in
 * the middle of the run and started again. Every token the model routes is a prompt token or a
 * generated token fed back (all but the last), so the expected total is
 * {@code Σ (promptTokens + completionTokens − 1) · layers · k}, computed from the API's own usage numbers.
 */
@SpringBootTest(classes = SwitchboardApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.r2dbc.url=${" + TestDatabase.R2DBC_URL_PROPERTY + "}",
        "spring.r2dbc.username=postgres",
        "spring.flyway.url=${" + TestDatabase.JDBC_URL_PROPERTY + "}",
        "spring.flyway.user=postgres",
        "switchboard.data-dir=target/stats-e2e-test-data",
        "switchboard.model=../router-service/src/test/resources/fixtures/tiny-gqa-top2",
        "switchboard.security.admin-token=e2e-admin",
        "switchboard.stats.trace-sample-rate=1",
        "switchboard.stats.flush-interval=200ms"})
@AutoConfigureWebTestClient(timeout = "60s")
@DirtiesContext // its flusher must not keep writing into the shared database while other test classes run
class CompletionStatisticsEndToEndTest {

    private static final int LAYERS = 2; // tiny-gqa-top2
    private static final int TOP_K = 2;

    static {
        TestDatabase.shared();
    }

    @Autowired
    WebTestClient web;

    @Autowired
    RoutingStatsFlusher flusher;

    @Test
    void everyRoutedTokenIsCountedOnceAcrossADatabaseRestart() throws Exception {
        TestDatabase db = TestDatabase.shared();
        String domain = "e2e-" + UUID.randomUUID();
        long routedTokens = 0;
        for (int i = 0; i < 3; i++) {
            routedTokens += complete(domain, "Tell me about experts number " + i);
        }
        db.stop();
        try {
            for (int i = 0; i < 3; i++) {
                routedTokens += complete(domain, "And while the database is away, tell me " + i);
            }
            assertThat(flusher.closeAndFlush()).as("no write can succeed while PostgreSQL is stopped").isFalse();
            // Liveness does not depend on the database (a restart would not help); readiness does.
            web.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
            web.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503);
        } finally {
            db.start();
        }
        awaitFlushed();

        String where = " WHERE model_id = 'tiny-gqa-top2' AND domain = '" + domain + "'";
        assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_window" + where)).isEqualTo(routedTokens * LAYERS * TOP_K);
        assertThat(db.queryLong("SELECT sum(first_choice) FROM expert_window" + where)).isEqualTo(routedTokens * LAYERS);
        assertThat(db.queryLong("SELECT sum(tokens) FROM layer_window" + where)).isEqualTo(routedTokens * LAYERS);
        assertThat(db.queryLong("SELECT count(*) FROM completion_request" + where.replace("model_id", "model_id"))).isEqualTo(6);
        assertThat(db.queryLong("SELECT count(*) FROM token_trace" + where)).isEqualTo(routedTokens * LAYERS);
    }

    @Test
    void theStoredRequestIdIsTheIdTheClientSaw() throws Exception {
        String chatId = (String) post("/v1/chat/completions", Map.of("model", "tiny-gqa-top2", "max_tokens", 2,
                "messages", List.of(Map.of("role", "user", "content", "Which id do you store?")))).get("id");
        String textId = (String) post("/v1/completions", Map.of("model", "tiny-gqa-top2", "max_tokens", 2,
                "prompt", "Which id do you store?")).get("id");
        awaitFlushed();

        assertThat(chatId).startsWith("chatcmpl-");
        assertThat(textId).startsWith("cmpl-");
        assertThat(TestDatabase.shared().query("SELECT id FROM completion_request WHERE id IN ('" + chatId + "', '" + textId + "') ORDER BY id"))
                .containsExactly(Map.of("id", chatId), Map.of("id", textId));
    }

    private Map<?, ?> post(String path, Map<String, Object> body) {
        return web.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    /** One greedy chat completion; returns the tokens the model routed for it. */
    private long complete(String domain, String prompt) {
        Map<?, ?> response = web.post().uri("/v1/chat/completions")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("model", "tiny-gqa-top2", "temperature", 0, "max_tokens", 6,
                        "metadata", Map.of("domain", domain),
                        "messages", List.of(Map.of("role", "user", "content", prompt))))
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> usage = (Map<?, ?>) response.get("usage");
        long prompted = ((Number) usage.get("prompt_tokens")).longValue();
        long completed = ((Number) usage.get("completion_tokens")).longValue();
        return prompted + completed - 1;
    }

    private void awaitFlushed() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!flusher.flush()) {
            assertThat(System.nanoTime()).as("statistics written within 30 s of the database's return").isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
