package dev.switchboard.app.routingstats;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The data behind {@code bench-stats-reads}: {@code days} of back-to-back windows of one instance over
 * {@code domains} domains, {@code layers} × {@code experts} per window, loaded with one statement per table
 * (pseudo-random but deterministic counts), then the 5-minute and hourly aggregates computed by the same
 * statements the writer runs ({@link AggregateRefresh}), plus sampled token traces (through the writer, with their
 * token counts) and lifecycle events.
 */
record StatsReadWorkload(int days, int windowSeconds, int domains, int layers, int experts, long traces) {

    static final String MODEL = "bench-model";

    /** Traces per write: what a flusher writes in one batch, give or take. */
    private static final int TRACE_BATCH = 20_000;

    Instant end() {
        return Instant.parse("2026-01-08T00:00:00Z");
    }

    Instant start() {
        return end().minus(Duration.ofDays(days));
    }

    long windows() {
        return Duration.ofDays(days).toSeconds() / windowSeconds;
    }

    /**
     * Window {@code i} after the data's end, shaped like the loaded ones (every domain and layer, counts varying with
     * {@code i}): what the writer adds next to {@code days} of history.
     */
    ClosedWindow windowAfterEnd(int i) {
        Instant start = end().plusSeconds((long) i * windowSeconds);
        Map<LayerKey, LayerCounts> layerCounts = new HashMap<>();
        for (int d = 0; d < domains; d++) {
            for (int l = 0; l < layers; l++) {
                long[] first = new long[experts];
                long[] any = new long[experts];
                double[] probabilities = new double[experts];
                for (int e = 0; e < experts; e++) {
                    first[e] = (i * 7L + l * 13L + e * 31L + d * 17L) % 200;
                    any[e] = first[e] + (i + e) % 150;
                    probabilities[e] = ((i + l + e + d) % 100) / 10.0;
                }
                layerCounts.put(new LayerKey(MODEL, "domain-" + d, l),
                        new LayerCounts(experts, 50, 800 + i % 300, i % 3, 60.0, 400.0, 1500.0, 700, 180, 350, first, any, probabilities));
            }
        }
        return new ClosedWindow(start, start.plusSeconds(windowSeconds), layerCounts);
    }

    void load(BenchDatabase database) {
        String windows = "generate_series(0, " + (windows() - 1) + ") AS w";
        String windowStart = "TIMESTAMPTZ '" + start() + "' + w * INTERVAL '" + windowSeconds + " seconds'";
        database.execute("""
                INSERT INTO expert_window (window_start, window_seconds, instance_id, model_id, layer, expert, domain,
                                           first_choice, any_choice, router_prob_sum, dropped)
                SELECT %s, %d, 'bench', '%s', l, e, 'domain-' || d,
                       (w * 7 + l * 13 + e * 31 + d * 17) %% 200, (w * 7 + l * 13 + e * 31 + d * 17) %% 200 + (w + e) %% 150,
                       ((w + l + e + d) %% 100) / 10.0, 0
                  FROM %s, generate_series(0, %d) AS d, generate_series(0, %d) AS l, generate_series(0, %d) AS e
                """.formatted(windowStart, windowSeconds, MODEL, windows, domains - 1, layers - 1, experts - 1));
        database.execute("""
                INSERT INTO layer_window (window_start, window_seconds, instance_id, model_id, layer, domain, num_experts,
                                          steps, tokens, dropped, aux_loss_sum, z_loss_sum, entropy_sum,
                                          consecutive_pairs, same_first_pairs, first_or_second_pairs)
                SELECT %s, %d, 'bench', '%s', l, 'domain-' || d, %d, 50, 800 + (w %% 300), w %% 3, 60.0, 400.0, 1500.0,
                       700, 180, 350
                  FROM %s, generate_series(0, %d) AS d, generate_series(0, %d) AS l
                """.formatted(windowStart, windowSeconds, MODEL, experts, windows, domains - 1, layers - 1));
        loadTraces(database.writer("bench"));
        database.execute("""
                INSERT INTO expert_event (event_id, occurred_at, instance_id, model_id, layer, expert, plugin, kind, reason)
                SELECT gen_random_uuid(), TIMESTAMPTZ '%s' + i * INTERVAL '10 minutes', 'bench', '%s', i %% %d, i %% %d,
                       'relu-mlp@1.0', 'EXPERT_REPLACED', 'benchmark event ' || i
                  FROM generate_series(0, %d) AS i
                """.formatted(start(), MODEL, layers, experts, days * 144 - 1));
        AggregateRefresh.statements(database.client(), start(), end(), new String[] {MODEL}).as(database.transactions()::transactional)
                .block(Duration.ofHours(1));
        database.execute("ANALYZE");
    }

    /**
     * The traces go through the writer's own statement, so the token counts it keeps with them are what the server
     * would have: trace t is position (t / layers) % 100 of request t / 400 at layer t % layers, spread evenly over the
     * days, with one of 1,000 token texts and two experts.
     */
    private void loadTraces(RoutingStatsWriter writer) {
        long millis = Duration.ofDays(days).toMillis();
        List<SampledRoute> batch = new ArrayList<>(TRACE_BATCH);
        for (long t = 0; t < traces; t++) {
            batch.add(new SampledRoute("chatcmpl-bench-" + (t / 400), start().plusMillis(t * millis / traces), MODEL,
                    "domain-" + (t % domains), (int) ((t / layers) % 100), "tok" + (t * 7919 % 1000), (int) (t % layers),
                    new int[] {(int) (t % experts), (int) ((t + 1) % experts)}, new float[] {0.6f, 0.4f}));
            if (batch.size() == TRACE_BATCH || t == traces - 1) {
                writer.writeTraces(batch).block(); // a benchmark load: one batch at a time
                batch.clear();
            }
        }
    }
}
