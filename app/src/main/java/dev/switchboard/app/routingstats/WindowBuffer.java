package dev.switchboard.app.routingstats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closed windows not yet written, oldest first, within a memory budget (enforced only while the database
 * refuses writes, so a healthy database never loses a window). Over budget, the adjacent pair
 * spanning the shortest time is merged into one coarser window (exact totals, less time resolution),
 * again and again; only when a single window is left and still does not fit is it dropped, counted in
 * {@code switchboard_stats_lost_assignments_total} and logged at ERROR.
 *
 * <p>Written windows always leave from the front, so the buffer is a contiguous run of the newest closed
 * windows and a merged window never spans a window that was written on its own.
 */
final class WindowBuffer {

    private static final Logger log = LoggerFactory.getLogger(WindowBuffer.class);

    private final long budgetBytes;
    private final RoutingStatsMetrics metrics;
    private final List<ClosedWindow> windows = new ArrayList<>();
    private long bytes;

    WindowBuffer(long budgetBytes, RoutingStatsMetrics metrics) {
        this.budgetBytes = budgetBytes;
        this.metrics = metrics;
        metrics.bindBuffer(this::size, this::bytes);
    }

    synchronized void add(ClosedWindow window) {
        if (window.layers().isEmpty()) return; // nothing was routed: nothing to write
        windows.add(window);
        bytes += window.estimatedBytes();
    }

    synchronized @Nullable ClosedWindow oldest() {
        return windows.isEmpty() ? null : windows.get(0);
    }

    /** Removes a window after it was written; a no-op if it was merged away meanwhile. */
    synchronized void written(ClosedWindow window) {
        if (!windows.isEmpty() && windows.get(0) == window) {
            windows.remove(0);
            bytes -= window.estimatedBytes();
        }
    }

    synchronized int size() {
        return windows.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized List<ClosedWindow> contents() {
        return List.copyOf(windows);
    }

    /** Called after a failed write: merges, and as a last resort drops, until the buffer fits its budget. */
    synchronized void keepWithinBudget() {
        int merges = 0;
        while (bytes > budgetBytes && windows.size() >= 2) {
            int pair = shortestAdjacentPair();
            ClosedWindow merged = windows.get(pair).merge(windows.get(pair + 1));
            bytes += merged.estimatedBytes() - windows.get(pair).estimatedBytes() - windows.get(pair + 1).estimatedBytes();
            windows.set(pair, merged);
            windows.remove(pair + 1);
            merges++;
        }
        if (merges > 0) {
            metrics.merged(merges);
            log.warn("Routing statistics buffer over its budget of {} bytes: merged {} window pair(s); {} window(s) now span {} to {}",
                    budgetBytes, merges, windows.size(), windows.get(0).start(), windows.get(windows.size() - 1).end());
        }
        if (bytes > budgetBytes) {
            ClosedWindow lost = windows.remove(0);
            bytes -= lost.estimatedBytes();
            metrics.lostAssignments(lost.assignments());
            log.error("Routing statistics LOST for [{}, {}): {} expert assignments of {} tokens; even merged, the window needs "
                    + "about {} bytes, more than switchboard.stats.buffer-budget ({} bytes), and the database is not taking writes",
                    lost.start(), lost.end(), lost.assignments(), lost.tokens(), lost.estimatedBytes(), budgetBytes);
        }
    }

    private int shortestAdjacentPair() {
        int best = 0;
        Duration bestSpan = null;
        for (int i = 0; i + 1 < windows.size(); i++) {
            Duration span = Duration.between(windows.get(i).start(), windows.get(i + 1).end());
            if (bestSpan == null || span.compareTo(bestSpan) < 0) {
                best = i;
                bestSpan = span;
            }
        }
        return best;
    }
}
