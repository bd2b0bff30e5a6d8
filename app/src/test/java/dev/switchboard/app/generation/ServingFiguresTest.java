package dev.switchboard.app.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import dev.switchboard.app.generation.ServingFiguresController.ServingFigures;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;

/** {@code GET /api/stats/serving}: the dashboard's serving figures, read from the Prometheus meters. */
class ServingFiguresTest extends ServingTestBase {

    @Autowired
    private MeterRegistry registry;

    @Test
    void aCompletionCountsAsOneFinishedRequestWithItsTokensAndLatency() {
        ServingFigures before = read();
        post("/v1/chat/completions", chat("\"max_tokens\":3,\"temperature\":0")).expectStatus().isOk();
        ServingFigures after = read();
        assertThat(after.requestsFinished()).isGreaterThan(before.requestsFinished());
        assertThat(after.generatedTokens() - before.generatedTokens()).isBetween(1L, 3L);
        assertThat(after.promptTokens()).isGreaterThan(before.promptTokens());
        assertThat(after.timeToFirstTokenP50Seconds()).isPositive();
        assertThat(after.at()).isAfterOrEqualTo(before.at());
    }

    @Test
    void queueAndRunningGaugesSurviveGarbageCollection() {
        // registry.gauge(...) keeps its object weakly; the scheduler's suppliers must not vanish (NaN).
        System.gc();
        assertThat(registry.find("switchboard.queue.size").gauge().value()).isZero();
        assertThat(registry.find("switchboard.sequences.running").gauge().value()).isZero();
    }

    @Test
    void inferenceKeysDoNotOpenServingFigures() {
        web.get().uri("/api/stats/serving").exchange().expectStatus().isForbidden();
    }

    private ServingFigures read() {
        return anonymous.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ServingTest.ADMIN_TOKEN).build()
                .get().uri("/api/stats/serving").exchange().expectStatus().isOk()
                .expectBody(ServingFigures.class).returnResult().getResponseBody();
    }
}
