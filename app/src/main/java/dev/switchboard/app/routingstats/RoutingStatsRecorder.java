package dev.switchboard.app.routingstats;

import dev.switchboard.app.experts.ExpertLifecycleEvent;
import dev.switchboard.runtime.routing.ConsecutiveRoutes;
import dev.switchboard.runtime.routing.LayerRoutingStats;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where the serving layer reports routing: the API of the statistics feature. Every method only adds
 * to in-memory accumulators or lock-free queues and returns; nothing here touches the database (the
 * {@code RoutingStatsFlusher} writes closed windows from its own thread).
 *
 * <p>Thread-safe. Concurrent requests do not contend: the per-window writer count is striped by thread
 * and the per-expert totals are {@code LongAdder}/{@code DoubleAdder}s.
 */
public final class RoutingStatsRecorder {

    private final Clock clock;
    private final long windowSeconds;
    private final boolean enabled;
    private final double traceSampleRate;
    private final PendingRecords<CompletedRequest> requests;
    private final PendingRecords<SampledRoute> traces;
    private final PendingRecords<ExpertLifecycleEvent> events;
    private final RoutingStatsMetrics metrics;
    private volatile OpenWindow current;

    RoutingStatsRecorder(RoutingStatsProperties properties, Clock clock, RoutingStatsMetrics metrics) {
        this.clock = clock;
        this.windowSeconds = properties.windowSeconds();
        this.enabled = properties.enabled();
        this.traceSampleRate = properties.traceSampleRate();
        this.metrics = metrics;
        long recordBudget = properties.recordBudget().toBytes();
        requests = new PendingRecords<>("request", recordBudget, r -> 200L + r.id().length() * 2L, metrics);
        traces = new PendingRecords<>("trace", recordBudget, t -> 150L + t.tokenText().length() * 2L + t.experts().length * 8L, metrics);
        events = new PendingRecords<>("event", recordBudget, e -> 300L + (e.reason() == null ? 0 : e.reason().length() * 2L), metrics);
        current = windowAt(clock.instant());
    }

    /** Adds one forward step's statistics, one {@link LayerRoutingStats} per MoE layer. */
    public void recordStep(String modelId, @Nullable String domain, List<LayerRoutingStats> layers) {
        if (!enabled) return;
        for (LayerRoutingStats stats : layers) {
            checkShape(modelId, stats);
        }
        String domainKey = LayerKey.domainOrEmpty(domain);
        OpenWindow window = enterCurrentWindow();
        try {
            for (LayerRoutingStats stats : layers) {
                window.accumulator(new LayerKey(modelId, domainKey, stats.layer()), stats.firstChoice().length).add(stats);
            }
        } finally {
            window.writers().exit();
        }
    }

    /** Starts tracking consecutive tokens of one sequence (one per request and sequence). */
    public SequenceRoutes openSequence(String modelId, @Nullable String domain) {
        return new SequenceRoutes(modelId, LayerKey.domainOrEmpty(domain));
    }

    /**
     * Reports the experts chosen for the sequence's next token at {@code layer}, in choice order (empty
     * when the token was dropped). Counts the pair (previous token, this token) for Mixtral's Table 5.
     */
    public void recordTokenRoutes(SequenceRoutes sequence, int layer, int[] selectedExperts) {
        if (!enabled) return;
        ConsecutiveRoutes.Pair pair = sequence.next(layer, selectedExperts);
        if (pair == ConsecutiveRoutes.Pair.NONE) return;
        OpenWindow window = enterCurrentWindow();
        try {
            // Expert count 0: a pairs-only accumulator, merged with the layer's step totals at close.
            window.accumulator(new LayerKey(sequence.modelId(), sequence.domain(), layer), 0)
                    .addPair(pair == ConsecutiveRoutes.Pair.SAME_FIRST, pair != ConsecutiveRoutes.Pair.DIFFERENT);
        } finally {
            window.writers().exit();
        }
    }

    public void recordRequest(CompletedRequest request) {
        if (enabled) requests.offer(request);
    }

    /**
     * Whether the request is in the traced sample ({@code switchboard.stats.trace-sample-rate}). Decided
     * from the id alone, so every token of a request gets the same answer; ask before building traces.
     */
    public boolean shouldTrace(String requestId) {
        if (!enabled || traceSampleRate <= 0) return false;
        if (traceSampleRate >= 1) return true;
        long h = requestId.hashCode() * 0x9E3779B97F4A7C15L; // spread the String hash over 64 bits
        h ^= h >>> 29;
        return Long.remainderUnsigned(h, 1_000_000L) < (long) (traceSampleRate * 1_000_000L);
    }

    /** Keeps the trace when its request is in the sample, otherwise ignores it. */
    public void recordTrace(SampledRoute trace) {
        if (shouldTrace(trace.requestId())) traces.offer(trace);
    }

    public void recordExpertEvent(ExpertLifecycleEvent event) {
        metrics.expertsChanged(event);
        if (enabled) events.offer(event);
    }

    // ---- for the flusher and the live view (package-private) ----

    /** Closes the open window if its end has passed; returns it, or null when it is still open. */
    @Nullable ClosedWindow closeIfDue(Instant now) {
        OpenWindow window = current;
        if (now.isBefore(window.end())) return null;
        current = windowAt(now);
        return window.close(window.end());
    }

    /** Closes the open window now, even before its planned end (shutdown, tests). */
    ClosedWindow closeNow(Instant now) {
        OpenWindow window = current;
        if (!now.isBefore(window.end())) {
            return closeIfDue(now);
        }
        Instant end = now.isAfter(window.start()) ? now : window.start().plusMillis(1);
        // The rest of the aligned window becomes the next window, so the two never share a start
        // (the writer replaces an instance's rows per window span).
        current = new OpenWindow(end, window.end());
        return window.close(end);
    }

    Instant openWindowStart() {
        return current.start();
    }

    Map<LayerKey, LayerCounts> peekOpenWindow() {
        return current.peek();
    }

    PendingRecords<CompletedRequest> pendingRequests() {
        return requests;
    }

    PendingRecords<SampledRoute> pendingTraces() {
        return traces;
    }

    PendingRecords<ExpertLifecycleEvent> pendingEvents() {
        return events;
    }

    /** Enters the current window as a writer; the caller must {@code exit()} its writers in a finally block. */
    private OpenWindow enterCurrentWindow() {
        while (true) {
            OpenWindow window = current;
            window.writers().enter();
            if (window == current) {
                return window; // the flusher will wait for us before reading this window's totals
            }
            window.writers().exit(); // closed between the read and the enter: use the new one
        }
    }

    private OpenWindow windowAt(Instant now) {
        long startSecond = Math.floorDiv(now.getEpochSecond(), windowSeconds) * windowSeconds;
        Instant start = Instant.ofEpochSecond(startSecond);
        return new OpenWindow(start, start.plusSeconds(windowSeconds));
    }

    private static void checkShape(String modelId, LayerRoutingStats stats) {
        int n = stats.firstChoice().length;
        if (stats.anyChoice().length != n || stats.routerProbabilitySum().length != n) {
            throw new IllegalArgumentException("Routing stats of model " + modelId + " layer " + stats.layer()
                    + " need one entry per expert in firstChoice, anyChoice and routerProbabilitySum, found "
                    + n + ", " + stats.anyChoice().length + ", " + stats.routerProbabilitySum().length);
        }
    }
}
