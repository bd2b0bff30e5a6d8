package dev.switchboard.app.routingstats;

import static dev.switchboard.app.routingstats.Steps.step;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retention: raw windows roll up into coarse buckets with exact totals; old traces and requests go. */
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

        // Running again moves nothing new and double counts nothing.
        stats.flusher.runRetention();
        assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_usage")).isEqualTo(6 * 4 + 2);
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
        assertThat(result.requestsDeleted()).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM completion_request")).isEqualTo(10);
    }
}
