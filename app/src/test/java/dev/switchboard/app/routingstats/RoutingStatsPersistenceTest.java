package dev.switchboard.app.routingstats;

import static dev.switchboard.app.routingstats.Steps.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.experts.ExpertEventKind;
import dev.switchboard.app.experts.ExpertLifecycleEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The write path against a real PostgreSQL: exact totals, idempotent retries, concurrent writers. */
class RoutingStatsPersistenceTest {

    private final TestDatabase db = TestDatabase.shared();
    private StatsHarness stats;

    @BeforeEach
    void cleanDatabase() {
        db.truncateStatistics();
        stats = new StatsHarness(db);
    }

    @Test
    void storesExactCountsForKnownRoutingIncludingDroppedTokensAndTwoDomains() {
        // Window 1. Experts per token in choice order; N = 4, k = 2.
        stats.recorder.recordStep("m", "code", List.of(
                step(0, 4, new int[][] {{0, 1}, {0, 2}, {1, 0}}, 0),
                step(1, 4, new int[][] {{3, 2}, {3, 1}}, 1)));
        stats.recorder.recordStep("m", "prose", List.of(
                step(0, 4, new int[][] {{2, 3}}, 2),
                step(1, 4, new int[][] {{1, 2}, {2, 1}}, 0)));
        assertThat(stats.nextWindow()).isTrue();
        // Window 2: one more code step at layer 0.
        stats.recorder.recordStep("m", "code", List.of(step(0, 4, new int[][] {{0, 1}}, 0)));
        assertThat(stats.nextWindow()).isTrue();

        // Hand-counted from the choices above.
        assertThat(expertTotals("code", 0)).isEqualTo(List.of(List.of(3L, 4L), List.of(1L, 3L), List.of(0L, 1L), List.of(0L, 0L)));
        assertThat(expertTotals("code", 1)).isEqualTo(List.of(List.of(0L, 0L), List.of(0L, 1L), List.of(0L, 1L), List.of(2L, 2L)));
        assertThat(expertTotals("prose", 0)).isEqualTo(List.of(List.of(0L, 0L), List.of(0L, 0L), List.of(1L, 1L), List.of(0L, 1L)));
        assertThat(expertTotals("prose", 1)).isEqualTo(List.of(List.of(0L, 0L), List.of(1L, 2L), List.of(1L, 2L), List.of(0L, 0L)));
        assertThat(layerTotals("code", 0)).containsEntry("steps", 2L).containsEntry("tokens", 4L).containsEntry("dropped", 0L);
        assertThat(layerTotals("code", 1)).containsEntry("steps", 1L).containsEntry("tokens", 3L).containsEntry("dropped", 1L);
        assertThat(layerTotals("prose", 0)).containsEntry("tokens", 3L).containsEntry("dropped", 2L);
        assertThat(layerTotals("prose", 1)).containsEntry("tokens", 2L).containsEntry("dropped", 0L);
        // k = 2 assignments per routed (not dropped) token: 2 * (4 + 2 + 1 + 2).
        assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_window")).isEqualTo(18);
        // z-loss arrives as a per-token mean: stored as a sum over tokens (0.5 * 4 tokens for code layer 0).
        assertThat((Double) db.query("SELECT sum(z_loss_sum) AS z FROM layer_window WHERE domain = 'code' AND layer = 0").get(0).get("z"))
                .isEqualTo(Steps.Z_LOSS * 4);
        // Idle experts are written as zero rows, so "dead" experts are visible: 2 windows' keys x 4 experts.
        assertThat(db.queryLong("SELECT count(*) FROM expert_window")).isEqualTo((4 + 1) * 4);
        assertThat(db.queryLong("SELECT count(DISTINCT window_start) FROM expert_window")).isEqualTo(2);
        assertThat(db.queryLong("SELECT min(window_seconds) FROM expert_window")).isEqualTo(10);
    }

    @Test
    void retryingAWriteOrWritingAMergedWindowThatContainsAWrittenOneKeepsTotalsExact() {
        stats.recorder.recordStep("m", null, List.of(step(0, 4, new int[][] {{0, 1}, {2, 3}}, 0)));
        stats.clock.advance(Duration.ofSeconds(10));
        ClosedWindow first = stats.recorder.closeIfDue(stats.clock.instant());
        stats.recorder.recordStep("m", null, List.of(step(0, 4, new int[][] {{0, 2}}, 0)));
        stats.clock.advance(Duration.ofSeconds(10));
        ClosedWindow second = stats.recorder.closeIfDue(stats.clock.instant());

        stats.writer.writeWindow(first).block();
        stats.writer.writeWindow(first).block(); // the commit's acknowledgement was lost: the flusher retries
        assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_window")).isEqualTo(4);
        assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_total_window")).isEqualTo(4);

        // The retried window was merged with the next one while buffered: the merged write replaces it.
        stats.writer.writeWindow(first.merge(second)).block();
        assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_window")).isEqualTo(6);
        assertThat(db.queryLong("SELECT sum(first_choice) FROM expert_window WHERE expert = 0")).isEqualTo(2);
        assertThat(db.queryLong("SELECT sum(tokens) FROM layer_window")).isEqualTo(3);
        assertThat(db.queryLong("SELECT max(window_seconds) FROM layer_window")).isEqualTo(20);
        // the window totals (V7) follow: the merged window replaced the first one's
        assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_total_window")).isEqualTo(6);
        assertThat(db.queryLong("SELECT sum(tokens) FROM layer_total_window")).isEqualTo(3);
        assertThat(db.queryLong("SELECT count(DISTINCT window_start) FROM expert_total_window")).isEqualTo(1);
    }

    @Test
    void aWindowRecomputesOnlyItsOwnModelsAndEveryModelsAggregatesStayExact() {
        // Window 1 routes both models; window 2, in the same minute, 5 minutes and hour, routes model b only.
        stats.recorder.recordStep("a", "code", List.of(step(0, 4, new int[][] {{0, 1}, {2, 3}}, 0)));
        stats.recorder.recordStep("b", "code", List.of(step(0, 4, new int[][] {{1, 2}}, 0)));
        assertThat(stats.nextWindow()).isTrue();
        stats.recorder.recordStep("b", "prose", List.of(step(0, 4, new int[][] {{3, 0}, {3, 1}, {2, 1}}, 0)));
        assertThat(stats.nextWindow()).isTrue();

        for (String model : List.of("a", "b")) {
            long raw = db.queryLong("SELECT sum(any_choice) FROM expert_window WHERE model_id = '" + model + "'");
            assertThat(raw).isEqualTo(model.equals("a") ? 4 : 8);
            for (String table : List.of("expert_5m", "expert_1h", "expert_total_1m", "expert_total_5m", "expert_total_1h",
                    "expert_total_window")) {
                assertThat(db.queryLong("SELECT sum(any_choice) FROM " + table + " WHERE model_id = '" + model + "'"))
                        .as("%s of model %s", table, model).isEqualTo(raw);
            }
            long tokens = db.queryLong("SELECT sum(tokens) FROM layer_window WHERE model_id = '" + model + "'");
            for (String table : List.of("layer_5m", "layer_1h", "layer_total_1m", "layer_total_5m", "layer_total_1h",
                    "layer_total_window")) {
                assertThat(db.queryLong("SELECT sum(tokens) FROM " + table + " WHERE model_id = '" + model + "'"))
                        .as("%s of model %s", table, model).isEqualTo(tokens);
            }
        }
    }

    @Test
    void sixteenConcurrentWritersWhileWindowsKeepClosingGiveExactTotals() throws Exception {
        int threads = 16;
        int stepsPerThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        // Halfway through, every writer waits until a window has closed, so windows close while writes are
        // in flight however fast the machine is (a fast one finished before the second window otherwise).
        CountDownLatch halfway = new CountDownLatch(threads);
        CountDownLatch windowClosedHalfway = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int expert = t % 4;
            writers.add(pool.submit(() -> {
                go.await();
                SequenceRoutes sequence = stats.recorder.openSequence("m", "d" + (expert % 2));
                int[][] choice = {{expert, (expert + 1) % 4}};
                for (int i = 0; i < stepsPerThread; i++) {
                    if (i == stepsPerThread / 2) {
                        halfway.countDown();
                        if (!windowClosedHalfway.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("no window closed halfway");
                    }
                    stats.recorder.recordStep("m", "d" + (expert % 2), List.of(step(0, 4, choice, i % 10 == 0 ? 1 : 0)));
                    stats.recorder.recordTokenRoutes(sequence, 0, choice[0]);
                }
                return null;
            }));
        }
        AtomicBoolean done = new AtomicBoolean();
        go.countDown();
        int closedWhileWriting = 0;
        while (!done.get()) {
            stats.nextWindow(); // closes windows under the writers' feet
            closedWhileWriting++;
            if (halfway.getCount() == 0 && windowClosedHalfway.getCount() == 1) {
                assertThat(stats.nextWindow()).isTrue(); // holds the first half of every writer's steps
                closedWhileWriting++;
                windowClosedHalfway.countDown();
            }
            done.set(writers.stream().allMatch(Future::isDone));
        }
        for (Future<?> writer : writers) writer.get(); // rethrows a writer's failure
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stats.flusher.closeAndFlush()).isTrue();

        long steps = (long) threads * stepsPerThread;
        assertThat(closedWhileWriting).isGreaterThan(1);
        assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_window")).isEqualTo(2 * steps);
        // Each expert is the first choice of 4 threads and the second choice of 4 others.
        for (int e = 0; e < 4; e++) {
            assertThat(db.queryLong("SELECT sum(first_choice) FROM expert_window WHERE expert = " + e)).isEqualTo(steps / 4);
            assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_window WHERE expert = " + e)).isEqualTo(steps / 2);
        }
        assertThat(db.queryLong("SELECT sum(tokens) FROM layer_window")).isEqualTo(steps + steps / 10);
        assertThat(db.queryLong("SELECT sum(dropped) FROM layer_window")).isEqualTo(steps / 10);
        assertThat(db.queryLong("SELECT sum(steps) FROM layer_window")).isEqualTo(steps);
        // Every thread's sequence repeats one choice: all pairs after the first token are the same expert.
        assertThat(db.queryLong("SELECT sum(consecutive_pairs) FROM layer_window")).isEqualTo(steps - threads);
        assertThat(db.queryLong("SELECT sum(same_first_pairs) FROM layer_window")).isEqualTo(steps - threads);
        // the window totals (V7) fold the same windows
        assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_total_window")).isEqualTo(2 * steps);
        assertThat(db.queryLong("SELECT sum(tokens) FROM layer_total_window")).isEqualTo(steps + steps / 10);
        assertThat(db.queryLong("SELECT sum(same_first_pairs) FROM layer_total_window")).isEqualTo(steps - threads);
    }

    @Test
    void consecutiveTokenCountsOfACraftedSequenceAreStoredPerLayerAndDomain() {
        SequenceRoutes code = stats.recorder.openSequence("m", "code");
        SequenceRoutes prose = stats.recorder.openSequence("m", "prose");
        int[][] codeTokens = {{1, 2}, {1, 3}, {4, 1}, {5, 6}, {}, {5, 6}, {6, 7}};
        for (int[] token : codeTokens) {
            stats.recorder.recordTokenRoutes(code, 0, token);
            stats.recorder.recordTokenRoutes(prose, 0, new int[] {0, 1}); // interleaved: must not disturb code's chain
        }
        stats.recorder.recordStep("m", "code", List.of(step(0, 8, new int[][] {{1, 2}}, 0)));
        assertThat(stats.nextWindow()).isTrue();

        // Pairs: (1,2)->(1,3) same first; (1,3)->(4,1) share 1; (4,1)->(5,6) differ; the dropped token breaks
        // two pairs; (5,6)->(6,7) share 6. So 4 pairs, 1 same first, 3 first-or-second.
        Map<String, Object> codeRow = layerTotals("code", 0);
        assertThat(codeRow).containsEntry("consecutive_pairs", 4L).containsEntry("same_first_pairs", 1L)
                .containsEntry("first_or_second_pairs", 3L).containsEntry("num_experts", 8L);
        Map<String, Object> proseRow = layerTotals("prose", 0);
        assertThat(proseRow).containsEntry("consecutive_pairs", 6L).containsEntry("same_first_pairs", 6L);
    }

    @Test
    void requestsTracesAndEventsAreStoredOnceEvenWhenReportedAgain() {
        StatsHarness traced = new StatsHarness(db, RoutingStatsProperties.defaults().withTraceSampleRate(1.0));
        CompletedRequest request = new CompletedRequest("req-1", StatsHarness.T0, "m", 12, 5, Duration.ofMillis(1500), "stop", "code");
        SampledRoute trace = new SampledRoute("req-1", StatsHarness.T0, "m", "code", 3, "def", 1, new int[] {5, 2}, new float[] {0.75f, 0.25f});
        ExpertLifecycleEvent event = ExpertLifecycleEvent.of(StatsHarness.T0, "m", 1, 5, "swiglu@1.0.0", ExpertEventKind.ADDED, "hot-loaded");
        for (int attempt = 0; attempt < 2; attempt++) {
            traced.recorder.recordRequest(request);
            traced.recorder.recordTrace(trace);
            traced.recorder.recordExpertEvent(event);
            assertThat(traced.flusher.flush()).isTrue();
        }
        assertThat(db.query("SELECT prompt_tokens, completion_tokens, latency_ms, finish_reason, domain FROM completion_request"))
                .containsExactly(Map.of("prompt_tokens", 12, "completion_tokens", 5, "latency_ms", 1500.0, "finish_reason", "stop", "domain", "code"));
        assertThat(db.query("SELECT token_text, experts::text AS experts, weights::text AS weights, position, layer FROM token_trace"))
                .containsExactly(Map.of("token_text", "def", "experts", "{5,2}", "weights", "{0.75,0.25}", "position", 3, "layer", 1));
        // its token counts (V7) count it once: first choice for expert 5, any choice for 5 and 2, in its hour and its day
        for (String level : new String[] {"token_count_1h", "token_count_1d"}) {
            assertThat(db.query("SELECT expert, first_choice, any_choice FROM " + level + " WHERE token_text = 'def' ORDER BY expert"))
                    .as(level).containsExactly(Map.of("expert", 2, "first_choice", 0L, "any_choice", 1L),
                            Map.of("expert", 5, "first_choice", 1L, "any_choice", 1L));
        }
        assertThat(db.query("SELECT kind, plugin, expert, reason FROM expert_event"))
                .containsExactly(Map.of("kind", "ADDED", "plugin", "swiglu@1.0.0", "expert", 5, "reason", "hot-loaded"));
    }

    @Test
    void onlyTheSampledShareOfRequestsIsTraced() {
        RoutingStatsRecorder sampled = new RoutingStatsRecorder(RoutingStatsProperties.defaults().withTraceSampleRate(0.1),
                stats.clock, stats.metrics);
        long traced = java.util.stream.IntStream.range(0, 20_000).filter(i -> sampled.shouldTrace("chatcmpl-" + i)).count();
        assertThat(traced).isBetween(1_700L, 2_300L); // 10% of 20 000 within ±15%
        assertThat(sampled.shouldTrace("chatcmpl-7")).isEqualTo(sampled.shouldTrace("chatcmpl-7"));
    }

    private List<List<Long>> expertTotals(String domain, int layer) {
        return db.query("SELECT sum(first_choice) AS f, sum(any_choice) AS a FROM expert_window WHERE domain = '" + domain
                        + "' AND layer = " + layer + " GROUP BY expert ORDER BY expert").stream()
                .map(row -> List.of(((Number) row.get("f")).longValue(), ((Number) row.get("a")).longValue()))
                .toList();
    }

    private Map<String, Object> layerTotals(String domain, int layer) {
        Map<String, Object> row = db.query("SELECT sum(steps) AS steps, sum(tokens) AS tokens, sum(dropped) AS dropped,"
                + " sum(consecutive_pairs) AS consecutive_pairs, sum(same_first_pairs) AS same_first_pairs,"
                + " sum(first_or_second_pairs) AS first_or_second_pairs, max(num_experts) AS num_experts"
                + " FROM layer_window WHERE domain = '" + domain + "' AND layer = " + layer).get(0);
        Map<String, Object> longs = new java.util.HashMap<>();
        row.forEach((k, v) -> longs.put(k, v == null ? null : ((Number) v).longValue()));
        return longs;
    }
}
