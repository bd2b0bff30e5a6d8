package dev.switchboard.app.routingstats;

import static dev.switchboard.app.routingstats.Steps.step;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL frozen (SIGSTOP: a hung host or disk) while the flusher runs on its own threads: a write then
 * waits for its whole timeout. Windows must still close when the clock says, each holding only its own
 * steps, and a shutdown must still end within its flush budget.
 */
class RoutingStatsFrozenDatabaseTest {

    /** One step of 2 tokens with top-2 routing: 4 assignments. */
    private static final long STEP_ASSIGNMENTS = 4;

    private final TestDatabase db = TestDatabase.shared();

    @BeforeEach
    void cleanDatabase() {
        db.truncateStatistics();
    }

    @AfterEach
    void databaseAnswersAgain() {
        db.execute("SELECT 1"); // a failed test must not leave the shared database frozen
    }

    @Test
    void windowsCloseOnTheClockWhileAWriteWaitsOnAFrozenDatabase() throws Exception {
        StatsHarness stats = new StatsHarness(db);
        stats.flusher.start();
        try {
            try {
                db.freeze();
                for (int w = 1; w <= 3; w++) {
                    record(stats, w); // w steps in window w
                    stats.clock.advance(stats.properties.window());
                    awaitBuffered(stats, w);
                }
                assertThat(stats.buffer.contents()).extracting(ClosedWindow::assignments)
                        .as("each window holds only the steps recorded inside it")
                        .containsExactly(STEP_ASSIGNMENTS, 2 * STEP_ASSIGNMENTS, 3 * STEP_ASSIGNMENTS);
            } finally {
                db.thaw();
            }
            awaitWritten(stats);
        } finally {
            stats.flusher.stop();
        }
        assertThat(db.query("SELECT window_seconds, sum(any_choice)::bigint AS assignments FROM expert_window "
                        + "GROUP BY window_start, window_seconds ORDER BY window_start"))
                .containsExactly(Map.of("window_seconds", 10, "assignments", STEP_ASSIGNMENTS),
                        Map.of("window_seconds", 10, "assignments", 2 * STEP_ASSIGNMENTS),
                        Map.of("window_seconds", 10, "assignments", 3 * STEP_ASSIGNMENTS));
    }

    @Test
    void shutdownWithAFrozenDatabaseEndsWithinTheFlushBudget() {
        Duration flushBudget = Duration.ofSeconds(1);
        StatsHarness stats = new StatsHarness(db, RoutingStatsProperties.defaults().withShutdownFlushTimeout(flushBudget));
        stats.flusher.start();
        record(stats, 1);
        Duration stopping;
        try {
            db.freeze();
            long start = System.nanoTime();
            stats.flusher.stop();
            stopping = Duration.ofNanos(System.nanoTime() - start);
        } finally {
            db.thaw();
        }
        // The flush budget, the bounded waits for the flusher's own threads (1 s each at most) and slack for a
        // loaded machine; before the budget existed the final write waited the writer's 5 s timeout.
        assertThat(stopping).isLessThan(flushBudget.plusMillis(3500));
        assertThat(stats.metrics.lostAssignmentsTotal()).as("what could not be written is counted as lost")
                .isEqualTo((double) STEP_ASSIGNMENTS);
    }

    private static void record(StatsHarness stats, int steps) {
        for (int i = 0; i < steps; i++) {
            stats.recorder.recordStep("frozen-model", null, List.of(step(0, 4, new int[][] {{0, 1}, {2, 3}}, 0)));
        }
    }

    /** Waits up to 2 s (20 of the window thread's checks) for {@code windows} closed windows. */
    private static void awaitBuffered(StatsHarness stats, int windows) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (stats.buffer.size() < windows && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stats.buffer.size()).as("closed windows while the database is frozen").isEqualTo(windows);
    }

    private static void awaitWritten(StatsHarness stats) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (stats.buffer.size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(stats.buffer.size()).as("buffered windows 30 s after the database came back").isZero();
    }
}
