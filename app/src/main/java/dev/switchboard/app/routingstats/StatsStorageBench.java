package dev.switchboard.app.routingstats;

import dev.switchboard.runtime.routing.LayerRoutingStats;
import dev.switchboard.runtime.routing.RouterStatistics;
import dev.switchboard.runtime.routing.RoutingContext;
import dev.switchboard.runtime.routing.RoutingDecision;
import dev.switchboard.runtime.routing.RoutingPhase;
import dev.switchboard.runtime.routing.TopKRouting;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Serving simulated on a manual clock, written to a real PostgreSQL by the real recorder, flusher and
 * writer: {@code tokens} decode tokens, {@code tokensPerStep} per step, {@code tokensPerWindow} per 10 s
 * window (the serving rate), requests of {@code completionTokens}, traces for the default 1 % of
 * requests (one row per completion token and layer). Measures the time the flusher spends writing
 * (the sustained write rate) and the tables' size afterwards.
 */
final class StatsStorageBench {

    record Result(long tokens, int windows, long expertRows, long layerRows, long requestRows, long traceRows,
            double flushSeconds, long bytes, Map<String, Long> bytesPerTable) {
        long rows() {
            return expertRows + layerRows + requestRows + traceRows;
        }

        double bytesPerMillionTokens() {
            return bytes / (tokens / 1e6);
        }
    }

    private StatsStorageBench() {}

    static Result run(BenchDatabase database, String modelId, int layers, int experts, int topK, long tokens, int tokensPerStep,
            int tokensPerWindow, int completionTokens) {
        RoutingStatsProperties properties = RoutingStatsProperties.defaults();
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        RoutingStatsMetrics metrics = new RoutingStatsMetrics(new SimpleMeterRegistry());
        RoutingStatsRecorder recorder = new RoutingStatsRecorder(properties, clock, metrics);
        RoutingStatsWriter writer = database.writer("bench/" + System.nanoTime());
        RoutingStatsFlusher flusher = new RoutingStatsFlusher(recorder, new WindowBuffer(properties.bufferBudget().toBytes(), metrics),
                writer, database.retention(properties), metrics, clock, properties);
        long bytesBefore = database.statisticsBytes();
        Map<String, Long> tablesBefore = database.bytesPerTable();
        List<LayerRoutingStats> step = syntheticStep(layers, experts, topK, tokensPerStep);
        Duration stepTime = properties.window().dividedBy(Math.max(1, tokensPerWindow / tokensPerStep));
        long flushNanos = 0;
        int windows = 0;
        int requests = 0;
        long inRequest = 0;
        for (long done = 0; done < tokens; done += tokensPerStep) {
            recorder.recordStep(modelId, "bench", step);
            inRequest += tokensPerStep;
            while (inRequest >= completionTokens) { // tokensPerStep sequences finish a request every completionTokens steps
                inRequest -= completionTokens;
                String id = "chatcmpl-bench-" + requests++;
                recorder.recordRequest(new CompletedRequest(id, clock.instant(), modelId, 34, completionTokens,
                        Duration.ofSeconds(2), "length", "bench"));
                if (recorder.shouldTrace(id)) traceRequest(recorder, id, modelId, layers, topK, completionTokens, clock.instant());
            }
            Instant before = clock.instant();
            clock.advance(stepTime);
            if (crossesWindow(before, clock.instant(), properties.window())) {
                long start = System.nanoTime();
                if (!flusher.tick()) throw new IllegalStateException("a flush failed; see the log");
                flushNanos += System.nanoTime() - start;
                windows++;
            }
        }
        clock.advance(properties.window());
        long start = System.nanoTime();
        flusher.closeAndFlush();
        flushNanos += System.nanoTime() - start;
        windows++;
        long bytes = database.statisticsBytes() - bytesBefore;
        Map<String, Long> perTable = new LinkedHashMap<>();
        database.bytesPerTable().forEach((table, size) -> perTable.put(table, size - tablesBefore.getOrDefault(table, 0L)));
        String instance = "'" + writer.instanceId() + "'";
        return new Result(tokens, windows,
                database.queryLong("SELECT count(*) FROM expert_window WHERE instance_id = " + instance),
                database.queryLong("SELECT count(*) FROM layer_window WHERE instance_id = " + instance),
                database.queryLong("SELECT count(*) FROM completion_request WHERE id LIKE 'chatcmpl-bench-%'"),
                database.queryLong("SELECT count(*) FROM token_trace WHERE request_id LIKE 'chatcmpl-bench-%'"),
                flushNanos / 1e9, bytes, perTable);
    }

    private static boolean crossesWindow(Instant before, Instant after, Duration window) {
        long seconds = window.toSeconds();
        return Math.floorDiv(before.getEpochSecond(), seconds) != Math.floorDiv(after.getEpochSecond(), seconds);
    }

    /** One decode step's statistics per layer, from random router logits. */
    private static List<LayerRoutingStats> syntheticStep(int layers, int experts, int topK, int tokens) {
        SplittableRandom random = new SplittableRandom(5);
        List<LayerRoutingStats> stats = new ArrayList<>(layers);
        for (int layer = 0; layer < layers; layer++) {
            float[] logits = new float[tokens * experts]; // (tokens, experts)
            for (int i = 0; i < logits.length; i++) logits[i] = (float) random.nextGaussian();
            RoutingDecision decision = TopKRouting.renormalised(topK).route(logits, tokens, experts, RoutingContext.of(RoutingPhase.DECODE));
            stats.add(RouterStatistics.compute(layer, logits, decision));
        }
        return stats;
    }

    private static void traceRequest(RoutingStatsRecorder recorder, String id, String modelId, int layers, int topK, int tokens,
            Instant at) {
        int[] experts = new int[topK];
        float[] weights = new float[topK];
        for (int k = 0; k < topK; k++) {
            experts[k] = k;
            weights[k] = 1f / topK;
        }
        for (int position = 0; position < tokens; position++) {
            for (int layer = 0; layer < layers; layer++) {
                recorder.recordTrace(new SampledRoute(id, at, modelId, "bench", 34 + position, " token", layer, experts, weights));
            }
        }
    }

    /** A clock the benchmark moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now;

        ManualClock(Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
