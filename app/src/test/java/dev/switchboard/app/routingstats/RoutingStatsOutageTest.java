package dev.switchboard.app.routingstats;

import static dev.switchboard.app.routingstats.Steps.step;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * What the flusher does while PostgreSQL is away: the real embedded server is stopped in the middle of
 * a run and started again on the same port and data.
 */
class RoutingStatsOutageTest {

    /** One window of this test: 2 layers x 4 experts in one domain (see ClosedWindow's row estimates). */
    private static final long WINDOW_BYTES = 2 * (ClosedWindow.LAYER_ROW_BYTES + 4 * ClosedWindow.EXPERT_ROW_BYTES);

    private final TestDatabase db = TestDatabase.shared();

    @BeforeEach
    void cleanDatabase() {
        db.truncateStatistics();
    }

    @AfterEach
    void databaseIsUpAgain() {
        db.execute("SELECT 1"); // a test that failed half-way must not leave the shared database stopped
    }

    @Test
    void databaseStoppedInTheMiddleOfARunThenStartedAgainGivesExactTotals() {
        StatsHarness stats = new StatsHarness(db);
        recordWindow(stats);
        assertThat(stats.nextWindow()).isTrue();

        db.stop();
        try {
            for (int w = 0; w < 3; w++) {
                recordWindow(stats);
                assertThat(stats.nextWindow()).as("write while the database is down").isFalse();
            }
            assertThat(stats.buffer.size()).isEqualTo(3);
        } finally {
            db.start();
        }
        recordWindow(stats);
        assertThat(stats.nextWindow()).isTrue();

        assertThat(stats.buffer.size()).isZero();
        assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_window")).isEqualTo(5 * 14);
        assertThat(db.queryLong("SELECT sum(tokens) FROM layer_window")).isEqualTo(5 * 8);
        assertThat(db.queryLong("SELECT count(DISTINCT window_start) FROM expert_window")).isEqualTo(5);
        assertThat(stats.registry.counter("switchboard.stats.write.failures").count()).isEqualTo(3);
        assertThat(stats.metrics.lostAssignmentsTotal()).isZero();
    }

    @Test
    void overBudgetBufferMergesWindowsAndKeepsTotalsExact() {
        StatsHarness stats = new StatsHarness(db, RoutingStatsProperties.defaults().withBufferBudget(DataSize.ofBytes(WINDOW_BYTES + 1)));
        db.stop();
        try {
            for (int w = 0; w < 4; w++) {
                recordWindow(stats);
                stats.nextWindow();
            }
            // Every new window pushed the buffer over budget and was merged into the one before.
            assertThat(stats.buffer.size()).isEqualTo(1);
            assertThat(stats.metrics.mergedWindowsTotal()).isEqualTo(3);
        } finally {
            db.start();
        }
        assertThat(stats.flusher.flush()).isTrue();

        assertThat(db.queryLong("SELECT sum(any_choice) FROM expert_window")).isEqualTo(4 * 14);
        assertThat(db.queryLong("SELECT sum(tokens) FROM layer_window")).isEqualTo(4 * 8);
        assertThat(db.query("SELECT DISTINCT window_seconds FROM expert_window")).containsExactly(java.util.Map.of("window_seconds", 40));
        assertThat(stats.metrics.lostAssignmentsTotal()).isZero();
    }

    @Test
    void lossIsCountedOnlyWhenEvenOneMergedWindowExceedsTheBudget() {
        StatsHarness stats = new StatsHarness(db, RoutingStatsProperties.defaults().withBufferBudget(DataSize.ofBytes(WINDOW_BYTES - 1)));
        db.stop();
        try {
            recordWindow(stats);
            stats.nextWindow();
            assertThat(stats.buffer.size()).isZero();
            assertThat(stats.metrics.lostAssignmentsTotal()).isEqualTo(14);
        } finally {
            db.start();
        }
        // With the database up, a window over the budget is still written: the budget binds only during outages.
        recordWindow(stats);
        assertThat(stats.nextWindow()).isTrue();
        long stored = db.queryLong("SELECT coalesce(sum(any_choice), 0) FROM expert_window");
        assertThat(stored).isEqualTo(14);
        // Stored plus counted-as-lost equals everything recorded: nothing went silently.
        assertThat(stored + (long) stats.metrics.lostAssignmentsTotal()).isEqualTo(2 * 14);
    }

    /** 4 routed tokens and 1 dropped at layer 0, 3 routed at layer 1: 14 assignments (k = 2), 8 tokens. */
    private static void recordWindow(StatsHarness stats) {
        stats.recorder.recordStep("m", "code", List.of(
                step(0, 4, new int[][] {{0, 1}, {1, 2}, {2, 3}}, 1),
                step(1, 4, new int[][] {{3, 0}, {0, 3}}, 0)));
        stats.recorder.recordStep("m", "code", List.of(step(0, 4, new int[][] {{1, 0}}, 0), step(1, 4, new int[][] {{2, 1}}, 0)));
    }
}
