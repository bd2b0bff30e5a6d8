package dev.switchboard.app.routingstats;

import static dev.switchboard.app.routingstats.Steps.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.app.experts.ExpertEventKind;
import dev.switchboard.app.experts.ExpertLifecycleEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The read API over HTTP on the full application and the real database, one behaviour per test. */
// Inlined properties, not @DynamicPropertySource: the embedded-database decision runs as an
// EnvironmentPostProcessor, before dynamic properties exist, and would start a needless PostgreSQL in ./data.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "switchboard.security.admin-token=stats-admin",
        "spring.r2dbc.url=${" + TestDatabase.R2DBC_URL_PROPERTY + "}",
        "spring.r2dbc.username=postgres",
        "spring.flyway.url=${" + TestDatabase.JDBC_URL_PROPERTY + "}",
        "spring.flyway.user=postgres",
        "switchboard.data-dir=target/stats-api-test-data",
        "switchboard.stats.trace-sample-rate=1",
        "switchboard.stats.flush-interval=200ms",
        // The tests close windows themselves (closeAndFlush); a 10 s window could also close on its own between a
        // recorded step and the live frame that should show it, on a slow machine.
        "switchboard.stats.window=1h"})
@AutoConfigureWebTestClient
@DirtiesContext // its flusher must not keep writing into the shared database while other test classes run
class RoutingStatsApiTest {

    static {
        TestDatabase.shared(); // started, and its URLs published as system properties, before the context loads
    }

    private WebTestClient web;

    @Autowired
    void adminClient(WebTestClient client) {
        // statistics and plugin administration are admin routes (RouteAccess)
        // A generous timeout: the first live frame can take seconds on a loaded 2-core machine.
        web = client.mutate().responseTimeout(Duration.ofSeconds(30))
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer stats-admin").build();
    }

    @Autowired
    private RoutingStatsRecorder recorder;

    @Autowired
    private RoutingStatsFlusher flusher;

    private final String range = "&from=" + Instant.now().minus(Duration.ofHours(1)) + "&to=" + Instant.now().plus(Duration.ofHours(1));

    /** Layer 0, N = 8, k = 2: 4 routed tokens and 1 dropped; loads e0 4, e1 2, e2 1, e3 1, others 0. */
    private void recordCodeStep(String model) {
        recorder.recordStep(model, "code", List.of(step(0, 8, new int[][] {{0, 1}, {0, 2}, {1, 0}, {3, 0}}, 1)));
    }

    @Test
    void utilisationReportsExactAssignmentsPerExpert() {
        String model = "utilisation-model";
        recordCodeStep(model);
        recordCodeStep(model);
        assertThat(flusher.closeAndFlush()).isTrue();

        List<Map> rows = getList("/api/stats/utilisation?model=" + model + "&bucket=10m" + range);
        assertThat(sumWhere(rows, "anyChoice", 0)).isEqualTo(8);
        assertThat(sumWhere(rows, "firstChoice", 0)).isEqualTo(4);
        assertThat(sumWhere(rows, "anyChoice", 4)).isZero();
        assertThat(rows.stream().mapToLong(r -> ((Number) r.get("anyChoice")).longValue()).sum()).isEqualTo(2 * 8);
    }

    @Test
    void balanceReportsTheGaugesOfTheRecordedLoad() {
        String model = "balance-model";
        recordCodeStep(model);
        assertThat(flusher.closeAndFlush()).isTrue();

        Map gauges = getList("/api/stats/balance?model=" + model + "&bucket=2h" + range).get(0);
        // load [4,2,1,1,0,0,0,0]: mean 1, max 4; Jain 8² / (8 · 22)
        assertThat(((Number) gauges.get("maxMeanLoad")).doubleValue()).isCloseTo(4.0, within(1e-9));
        assertThat(((Number) gauges.get("maxVio")).doubleValue()).isCloseTo(3.0, within(1e-9));
        assertThat(((Number) gauges.get("jainIndex")).doubleValue()).isCloseTo(64.0 / 176, within(1e-9));
        assertThat(((Number) gauges.get("deadExpertFraction")).doubleValue()).isCloseTo(0.5, within(1e-9));
        assertThat(((Number) gauges.get("dropRate")).doubleValue()).isCloseTo(0.2, within(1e-9));
        assertThat(((Number) gauges.get("zLoss")).doubleValue()).isCloseTo(Steps.Z_LOSS, within(1e-9));
        assertThat(((Number) gauges.get("auxLossPerStep")).doubleValue()).isCloseTo(Steps.AUX, within(1e-9));
    }

    @Test
    void domainsAndConsecutiveRatesArePerDomainWithTheRandomBaselines() {
        String model = "domain-model";
        recordCodeStep(model);
        recorder.recordStep(model, "prose", List.of(step(0, 8, new int[][] {{5, 6}}, 0)));
        SequenceRoutes code = recorder.openSequence(model, "code");
        for (int[] token : new int[][] {{1, 2}, {1, 3}, {4, 1}, {5, 6}, {}, {5, 6}, {6, 7}}) {
            recorder.recordTokenRoutes(code, 0, token);
        }
        assertThat(flusher.closeAndFlush()).isTrue();

        List<Map> domains = getList("/api/stats/domains?model=" + model + "&layer=0" + range);
        assertThat(domains).extracting(d -> d.get("domain")).containsExactly("code", "prose");
        assertThat((List<Object>) domains.get(1).get("shares")).containsExactly((Object) 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.5, 0.0);
        assertThat(((Number) domains.get(0).get("assignments")).longValue()).isEqualTo(8);

        Map rates = getList("/api/stats/consecutive?model=" + model + range).get(0);
        assertThat(rates.get("domain")).isEqualTo("code");
        assertThat(((Number) rates.get("pairs")).longValue()).isEqualTo(4);
        assertThat(((Number) rates.get("sameFirstRate")).doubleValue()).isCloseTo(0.25, within(1e-12));
        assertThat(((Number) rates.get("firstOrSecondRate")).doubleValue()).isCloseTo(0.75, within(1e-12));
        assertThat(((Number) rates.get("randomSameFirstRate")).doubleValue()).isCloseTo(0.125, within(1e-12));
        assertThat(((Number) rates.get("randomFirstOrSecondRate")).doubleValue()).isCloseTo(1 - 6.0 / 8 * 5.0 / 7, within(1e-12));
    }

    @Test
    void topTokensAndEventsComeFromTracesAndLifecycleRecords() {
        String model = "trace-model";
        Instant now = Instant.now();
        int position = 0;
        for (String token : new String[] {"def", "def", "self", "def", "x"}) {
            int[] experts = switch (token) {
                case "def" -> new int[] {0, 1};
                case "self" -> new int[] {0, 2};
                default -> new int[] {1, 0};
            };
            recorder.recordTrace(new SampledRoute("req-" + model, now, model, null, position++, token, 0, experts, new float[] {0.6f, 0.4f}));
        }
        recorder.recordExpertEvent(ExpertLifecycleEvent.of(now, model, 0, 7, "swiglu@1.0.0", ExpertEventKind.FAILED, "weights missing"));
        assertThat(flusher.flush()).isTrue();

        assertThat(getList("/api/stats/top-tokens?model=" + model + "&layer=0&expert=0" + range))
                .containsExactly(Map.of("token", "def", "count", 3), Map.of("token", "self", "count", 1), Map.of("token", "x", "count", 1));
        assertThat(getList("/api/stats/top-tokens?model=" + model + "&layer=0&expert=1&choice=first" + range))
                .containsExactly(Map.of("token", "x", "count", 1));
        assertThat(getList("/api/stats/events?limit=5" + range))
                .anySatisfy(e -> assertThat(e).containsEntry("kind", "FAILED").containsEntry("reason", "weights missing").containsEntry("expert", 7));
    }

    @Test
    void prometheusExposesPerExpertCountersWithBoundedLabels() {
        String model = "prometheus-model";
        recordCodeStep(model);
        assertThat(flusher.closeAndFlush()).isTrue();

        String scrape = web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(scrape.lines().filter(l -> l.startsWith("switchboard_routing_assignments_total{")
                        && l.contains("model=\"" + model + "\"") && l.contains("expert=\"0\"") && l.contains("choice=\"any\"")))
                .singleElement().satisfies(line -> assertThat(line).endsWith(" 4.0"));
        assertThat(scrape).contains("switchboard_stats_lost_assignments_total").contains("switchboard_stats_buffered_windows");
        assertThat(scrape.lines().filter(l -> l.startsWith("switchboard_routing_")).noneMatch(l -> l.contains("domain=")
                || l.contains("request"))).isTrue();
    }

    @Test
    void liveStreamSendsTheOpenWindowAsHandWrittenSseFrames() {
        String model = "live-model";
        recordCodeStep(model);

        // Raw bytes: a String body would go through the client's SSE decoder, which hides the framing.
        byte[] bytes = web.get().uri("/api/stats/live?model=" + model).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/event-stream")
                .returnResult(byte[].class).getResponseBody().blockFirst(Duration.ofSeconds(10));
        String frame = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(frame).startsWith("data: {").endsWith("\n\n").contains("\"model\":\"" + model + "\"").contains("\"tokens\":5");
    }

    @Test
    void aWeekLongRangeIsAnsweredByTheEndpointsThatReadItAsOneBucket() {
        String week = "&from=" + Instant.now().minus(Duration.ofDays(7)) + "&to=" + Instant.now();
        // A week has 10,080 minutes: more than the bucket limit, but these endpoints have no minute buckets.
        web.get().uri("/api/stats/domains?model=m" + week).exchange().expectStatus().isOk();
        web.get().uri("/api/stats/consecutive?model=m" + week).exchange().expectStatus().isOk();
        web.get().uri("/api/stats/top-tokens?model=m&layer=0&expert=0" + week).exchange().expectStatus().isOk();
        web.get().uri("/api/stats/events?limit=10" + week).exchange().expectStatus().isOk();
    }

    @Test
    void badQueryParametersAreA400ThatSaysWhatWasExpected() {
        web.get().uri("/api/stats/utilisation?model=m&bucket=fortnight").exchange().expectStatus().isBadRequest();
        web.get().uri("/api/stats/balance?model=m&from=yesterday").exchange().expectStatus().isBadRequest();
        web.get().uri("/api/stats/utilisation?model=m&bucket=1s&from=2020-01-01T00:00:00Z&to=2021-01-01T00:00:00Z")
                .exchange().expectStatus().isBadRequest();
    }

    private List<Map> getList(String uri) {
        return web.get().uri(uri).exchange().expectStatus().isOk().expectBodyList(Map.class).returnResult().getResponseBody();
    }

    private static long sumWhere(List<Map> rows, String field, int expert) {
        return rows.stream().filter(r -> ((Number) r.get("expert")).intValue() == expert)
                .mapToLong(r -> ((Number) r.get(field)).longValue()).sum();
    }
}
