package dev.switchboard.app.routingstats;

import java.time.Duration;
import java.time.Instant;

/**
 * The data behind {@code bench-stats-reads}: {@code days} of back-to-back windows of one instance over
 * {@code domains} domains, {@code layers} × {@code experts} per window, loaded with one statement per table
 * (pseudo-random but deterministic counts), then the 5-minute and hourly aggregates computed by the same
 * statements the writer runs ({@link AggregateRefresh}), plus sampled token traces and lifecycle events.
 */
record StatsReadWorkload(int days, int windowSeconds, int domains, int layers, int experts, long traces) {

    static final String MODEL = "bench-model";

    Instant end() {
        return Instant.parse("2026-01-08T00:00:00Z");
    }

    Instant start() {
        return end().minus(Duration.ofDays(days));
    }

    long windows() {
        return Duration.ofDays(days).toSeconds() / windowSeconds;
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
        database.execute("""
                INSERT INTO token_trace (request_id, position, layer, traced_at, model_id, domain, token_text, experts, weights)
                SELECT 'chatcmpl-bench-' || (t / 400), (t / %d) %% 100, t %% %d,
                       TIMESTAMPTZ '%s' + (t * %d / %d) * INTERVAL '1 millisecond', '%s', 'domain-' || (t %% %d),
                       'tok' || (t * 7919 %% 1000), ARRAY[t %% %d, (t + 1) %% %d], ARRAY[0.6, 0.4]::real[]
                  FROM generate_series(0::bigint, %d) AS t
                """.formatted(layers, layers, start(), Duration.ofDays(days).toMillis(), traces, MODEL, domains, experts,
                experts, traces - 1));
        database.execute("""
                INSERT INTO expert_event (event_id, occurred_at, instance_id, model_id, layer, expert, plugin, kind, reason)
                SELECT gen_random_uuid(), TIMESTAMPTZ '%s' + i * INTERVAL '10 minutes', 'bench', '%s', i %% %d, i %% %d,
                       'relu-mlp@1.0', 'EXPERT_REPLACED', 'benchmark event ' || i
                  FROM generate_series(0, %d) AS i
                """.formatted(start(), MODEL, layers, experts, days * 144 - 1));
        AggregateRefresh.statements(database.client(), start(), end()).as(database.transactions()::transactional)
                .block(Duration.ofHours(1));
        database.execute("ANALYZE");
    }
}
