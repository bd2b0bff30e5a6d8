package dev.switchboard.app.routingstats;

import static dev.switchboard.app.routingstats.Steps.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Retention: raw windows roll up into coarse buckets with exact totals, taking their window totals with them; rollups and
 * aggregates go by whole hours at every level, traces with their token counts by whole days; old requests go.
 */
class RoutingStatsRetentionTest {

    private final TestDatabase db = TestDatabase.shared();

    @BeforeEach
    void cleanDatabase() {
        db.truncateStatistics();
    }

    @Test
    void oldWindowsAreRolledUpIntoBucketsAndDeletedKeepingTotalsExact() {
        StatsHarness stats = new StatsHarness(db); // raw age 1 day, hourly buckets
        for (int w = 0; w < 6; w++) { // six 10 s windows in the first hour bucket
            stats.recorder.recordStep("m", "code", List.of(step(0, 4, new int[][] {{0, 1}, {2, 3}}, 1)));
            SequenceRoutes sequence = stats.recorder.openSequence("m", "code");
            stats.recorder.recordTokenRoutes(sequence, 0, new int[] {0, 1});
            stats.recorder.recordTokenRoutes(sequence, 0, new int[] {0, 2});
            assertThat(stats.nextWindow()).isTrue();
        }
        stats.clock.advance(Duration.ofHours(2)); // a window 2 h later, in another hour bucket
        stats.flusher.tick(); // as the scheduled tick would: the idle window closes, a new one opens now
        stats.recorder.recordStep("m", "code", List.of(step(0, 4, new int[][] {{3, 0}}, 0)));
        assertThat(stats.nextWindow()).isTrue();
        assertThat(db.queryLong("SELECT count(DISTINCT window_start) FROM expert_window")).isEqualTo(7);

        // One day after the first windows: exactly the first six are older than the raw age.
        stats.clock.set(StatsHarness.T0.plus(Duration.ofDays(1)).plusSeconds(61));
        RoutingStatsRetention.Result result = stats.flusher.runRetention();

        assertThat(result.expertRowsRolledUp()).isEqualTo(4); // one bucket x 4 experts
        assertThat(db.queryLong("SELECT count(DISTINCT window_start) FROM expert_window")).isEqualTo(1);
        assertThat(db.query("SELECT bucket_start = TIMESTAMPTZ '2025-03-01 12:00:00Z' AS aligned, bucket_seconds FROM layer_rollup"))
                .containsExactly(Map.of("aligned", true, "bucket_seconds", 3600));
        assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_rollup")).isEqualTo(6 * 4);
        assertThat(db.queryLong("SELECT sum(tokens) FROM layer_rollup")).isEqualTo(6 * 3);
        assertThat(db.queryLong("SELECT sum(same_first_pairs) FROM layer_rollup")).isEqualTo(6);
        // The read views see rollups and raw windows as one series: totals unchanged by retention.
        assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_usage")).isEqualTo(6 * 4 + 2);
        assertThat(db.queryLong("SELECT sum(dropped) FROM layer_usage")).isEqualTo(6);

        // The window totals (V7) go with the windows they fold; a chart in 10 s buckets reads the rollup in their place
        // and answers what the raw windows and rollups (expert_usage) hold, bucket by bucket.
        assertThat(db.queryLong("SELECT count(DISTINCT window_start) FROM expert_total_window")).isEqualTo(1);
        List<RoutingStatsRepository.ExpertUsage> chart = new RoutingStatsRepository(DatabaseClient.create(db.connectionFactory()))
                .experts("m", StatsHarness.T0, stats.clock.instant(), 10, false).collectList().block(Duration.ofSeconds(30));
        Map<Long, Long> perBucket = new TreeMap<>();
        chart.forEach(u -> perBucket.merge(u.bucketStart().getEpochSecond(), u.anyChoice(), Long::sum));
        Map<Long, Long> expected = new TreeMap<>();
        db.query("SELECT floor(extract(epoch FROM period_start) / 10)::bigint * 10 AS b, sum(any_choice)::bigint AS a FROM expert_usage GROUP BY 1")
                .forEach(row -> expected.put((Long) row.get("b"), (Long) row.get("a")));
        assertThat(perBucket).isEqualTo(expected).containsEntry(StatsHarness.T0.getEpochSecond(), 6L * 4);

        // Running again moves nothing new and double counts nothing.
        stats.flusher.runRetention();
        assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_usage")).isEqualTo(6 * 4 + 2);
    }

    @Test
    void rollupsAndAggregatesOlderThanTheirRetentionArePrunedByWholeHoursAtEveryLevel() {
        RoutingStatsProperties.Retention kept = new RoutingStatsProperties.Retention(Duration.ofDays(1), Duration.ofHours(1),
                Duration.ofDays(2), Duration.ofDays(7), Duration.ofDays(30), Duration.ofMinutes(10));
        StatsHarness stats = new StatsHarness(db, RoutingStatsProperties.defaults().withRetention(kept));
        stats.recorder.recordStep("m", "code", List.of(step(0, 4, new int[][] {{0, 1}}, 0))); // 12:00:00, hour 12
        assertThat(stats.nextWindow()).isTrue();
        stats.clock.set(StatsHarness.T0.plus(Duration.ofMinutes(90))); // 13:30:00, hour 13
        stats.flusher.tick();
        stats.recorder.recordStep("m", "code", List.of(step(0, 4, new int[][] {{2, 3}}, 0)));
        assertThat(stats.nextWindow()).isTrue();

        // Two days and 100 minutes later: the aggregate cutoff is 13:40 two days before, cut to the whole hour 13:00.
        stats.clock.set(StatsHarness.T0.plus(Duration.ofDays(2)).plus(Duration.ofMinutes(100)));
        RoutingStatsRetention.Result result = stats.flusher.runRetention();

        Instant cutoff = StatsHarness.T0.plus(Duration.ofHours(1));
        String[] levels = {"expert_rollup", "layer_rollup", "expert_5m", "expert_1h", "layer_5m", "layer_1h", "expert_total_1m",
            "expert_total_5m", "expert_total_1h", "layer_total_1m", "layer_total_5m", "layer_total_1h"};
        for (String level : levels) {
            assertThat(db.queryLong("SELECT count(*) FROM " + level + " WHERE bucket_start < '" + cutoff + "'")).as(level).isZero();
            assertThat(db.queryLong("SELECT count(*) FROM " + level + " WHERE bucket_start >= '" + cutoff + "'")).as(level).isPositive();
        }
        assertThat(result.aggregateRowsDeleted()).isPositive();
        assertThat(db.queryLong("SELECT count(*) FROM expert_window") + db.queryLong("SELECT count(*) FROM expert_total_window")).isZero();
        // What is left agrees at every level: the 13:30 window alone.
        assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_usage")).isEqualTo(2);
        assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_total_1m")).isEqualTo(2);
        assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_1h")).isEqualTo(2);
        assertThat(RoutingStatsRetention.aggregateGrain(3600)).isEqualTo(3600);
        assertThat(RoutingStatsRetention.aggregateGrain(5400)).isEqualTo(10800); // whole hours that are whole 90-minute buckets
    }

    @Test
    void aggregatesMustBeKeptAtLeastAsLongAsRawWindows() {
        RoutingStatsProperties.Retention kept = new RoutingStatsProperties.Retention(Duration.ofDays(2), Duration.ofHours(1),
                Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(30), Duration.ofMinutes(10));
        assertThatThrownBy(() -> RoutingStatsProperties.defaults().withRetention(kept))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention.aggregates");
    }

    @Test
    void tracesAndRequestsOlderThanTheirRetentionAreDeleted() {
        StatsHarness stats = new StatsHarness(db, RoutingStatsProperties.defaults().withTraceSampleRate(1.0));
        for (int day = 0; day < 10; day++) {
            var at = StatsHarness.T0.plus(Duration.ofDays(day));
            stats.recorder.recordTrace(new SampledRoute("r" + day, at, "m", null, 0, "tok", 0, new int[] {1}, new float[] {1f}));
            stats.recorder.recordRequest(new CompletedRequest("r" + day, at, "m", 1, 1, Duration.ofMillis(5), "stop", null));
        }
        assertThat(stats.flusher.flush()).isTrue();

        stats.clock.set(StatsHarness.T0.plus(Duration.ofDays(9)).minusSeconds(1)); // traces kept 7 days, requests 30
        RoutingStatsRetention.Result result = stats.flusher.runRetention();

        assertThat(result.tracesDeleted()).isEqualTo(2); // days 0 and 1 are older than 7 days
        assertThat(db.queryLong("SELECT count(*) FROM token_trace")).isEqualTo(8);
        // their token counts (V7) go with them, by the same whole day
        assertThat(db.queryLong("SELECT count(*) FROM token_count_1d")).isEqualTo(8);
        assertThat(db.queryLong("SELECT count(*) FROM token_count_1h")).isEqualTo(8);
        assertThat(db.queryLong("SELECT sum(any_choice) FROM token_count_1d")).isEqualTo(8);
        assertThat(result.requestsDeleted()).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM completion_request")).isEqualTo(10);
    }
}
