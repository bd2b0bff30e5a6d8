package dev.switchboard.app.routingstats;

import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Recomputes the aggregates that cover a written window's span, inside the window's transaction: the 5-minute and
 * hourly ones by domain (V4; the 5-minute buckets from the raw rows and rollups, {@code expert_usage} and
 * {@code layer_usage}, the hours from the 5-minute buckets), and the one-minute, 5-minute and hourly totals with
 * domains and instances folded that the charts read (V5; the minutes from the raw rows and rollups, the others from
 * the V4 bucket of the same grain), and each window's totals with domains and instances folded (V7, from the raw
 * windows alone: retention deletes them with the windows they fold). Recomputing (not adding) keeps every write
 * idempotent, as the raw upserts are. Only the written window's models are recomputed: the other models' rows did
 * not change, and the aggregate tables are keyed model first, so the model filter makes each statement an index
 * range rather than a scan of the table's whole history.
 *
 * <p>Instances writing to one database take turns here (a transaction-scoped advisory lock): each
 * statement then sees every other instance's committed rows, so no recomputation misses a concurrent one.
 */
final class AggregateRefresh {

    static final int MINUTE = 60;
    static final int FIVE_MINUTES = 300;
    static final int HOUR = 3600;
    /** Any fixed number: the lock's name among this database's advisory locks. */
    private static final long LOCK = 0x5357_4244_4147_4752L;

    private static final String BUCKET_5M = "to_timestamp(floor(extract(epoch FROM period_start) / 300) * 300)";
    private static final String EXPERTS_5M = """
            INSERT INTO expert_5m
            SELECT %s, model_id, layer, expert, domain, sum(first_choice), sum(any_choice), sum(router_prob_sum), sum(dropped)
              FROM expert_usage WHERE period_start >= $1 AND period_start < $2 AND model_id = ANY($3) GROUP BY 1, model_id, layer, expert, domain
            """.formatted(BUCKET_5M);
    private static final String EXPERTS_1H = """
            INSERT INTO expert_1h
            SELECT date_trunc('hour', bucket_start), model_id, layer, expert, domain,
                   sum(first_choice), sum(any_choice), sum(router_prob_sum), sum(dropped)
              FROM expert_5m WHERE bucket_start >= $1 AND bucket_start < $2 AND model_id = ANY($3) GROUP BY 1, model_id, layer, expert, domain
            """;
    private static final String LAYERS_5M = """
            INSERT INTO layer_5m
            SELECT %s, model_id, layer, domain, max(num_experts), sum(steps), sum(tokens), sum(dropped), sum(aux_loss_sum),
                   sum(z_loss_sum), sum(entropy_sum), sum(consecutive_pairs), sum(same_first_pairs), sum(first_or_second_pairs)
              FROM layer_usage WHERE period_start >= $1 AND period_start < $2 AND model_id = ANY($3) GROUP BY 1, model_id, layer, domain
            """.formatted(BUCKET_5M);
    private static final String LAYERS_1H = """
            INSERT INTO layer_1h
            SELECT date_trunc('hour', bucket_start), model_id, layer, domain, max(num_experts), sum(steps), sum(tokens),
                   sum(dropped), sum(aux_loss_sum), sum(z_loss_sum), sum(entropy_sum), sum(consecutive_pairs),
                   sum(same_first_pairs), sum(first_or_second_pairs)
              FROM layer_5m WHERE bucket_start >= $1 AND bucket_start < $2 AND model_id = ANY($3) GROUP BY 1, model_id, layer, domain
            """;

    /** One-minute totals with domains and instances folded (V5), from the raw rows and rollups. */
    private static final String BUCKET_1M = "date_bin('1 minute', period_start, TIMESTAMPTZ '1970-01-01 00:00:00+00')";
    private static final String EXPERT_TOTALS_1M = """
            INSERT INTO expert_total_1m
            SELECT %s, model_id, layer, expert, sum(first_choice), sum(any_choice), sum(router_prob_sum), sum(dropped)
              FROM expert_usage WHERE period_start >= $1 AND period_start < $2 AND model_id = ANY($3) GROUP BY 1, model_id, layer, expert
            """.formatted(BUCKET_1M);
    private static final String LAYER_TOTALS_1M = """
            INSERT INTO layer_total_1m
            SELECT %s, model_id, layer, max(num_experts), sum(steps), sum(tokens), sum(dropped), sum(aux_loss_sum),
                   sum(z_loss_sum), sum(entropy_sum), sum(consecutive_pairs), sum(same_first_pairs), sum(first_or_second_pairs)
              FROM layer_usage WHERE period_start >= $1 AND period_start < $2 AND model_id = ANY($3) GROUP BY 1, model_id, layer
            """.formatted(BUCKET_1M);
    /** Each window's totals with domains and instances folded (V7), from the raw windows. */
    private static final String EXPERT_TOTALS_WINDOW = """
            INSERT INTO expert_total_window
            SELECT window_start, model_id, layer, expert, sum(first_choice), sum(any_choice), sum(router_prob_sum), sum(dropped)
              FROM expert_window WHERE window_start >= $1 AND window_start < $2 AND model_id = ANY($3) GROUP BY window_start, model_id, layer, expert
            """;
    private static final String LAYER_TOTALS_WINDOW = """
            INSERT INTO layer_total_window
            SELECT window_start, model_id, layer, max(num_experts), sum(steps), sum(tokens), sum(dropped), sum(aux_loss_sum),
                   sum(z_loss_sum), sum(entropy_sum), sum(consecutive_pairs), sum(same_first_pairs), sum(first_or_second_pairs)
              FROM layer_window WHERE window_start >= $1 AND window_start < $2 AND model_id = ANY($3) GROUP BY window_start, model_id, layer
            """;
    /** 5-minute and hourly totals: the V4 aggregate of the same grain with its domains summed. */
    private static final String EXPERT_TOTALS = """
            INSERT INTO expert_total_%1$s
            SELECT bucket_start, model_id, layer, expert, sum(first_choice), sum(any_choice), sum(router_prob_sum), sum(dropped)
              FROM expert_%1$s WHERE bucket_start >= $1 AND bucket_start < $2 AND model_id = ANY($3) GROUP BY bucket_start, model_id, layer, expert
            """;
    private static final String LAYER_TOTALS = """
            INSERT INTO layer_total_%1$s
            SELECT bucket_start, model_id, layer, max(num_experts), sum(steps), sum(tokens), sum(dropped), sum(aux_loss_sum),
                   sum(z_loss_sum), sum(entropy_sum), sum(consecutive_pairs), sum(same_first_pairs), sum(first_or_second_pairs)
              FROM layer_%1$s WHERE bucket_start >= $1 AND bucket_start < $2 AND model_id = ANY($3) GROUP BY bucket_start, model_id, layer
            """;

    private AggregateRefresh() {}

    /** The statements that make the aggregates of {@code models} in every bucket touching {@code [start, end)} exact again. */
    static Mono<Void> statements(DatabaseClient database, Instant start, Instant end, String[] models) {
        Instant from1m = floor(start, MINUTE);
        Instant to1m = ceil(end, MINUTE);
        Instant from5m = floor(start, FIVE_MINUTES);
        Instant to5m = ceil(end, FIVE_MINUTES);
        Instant fromHour = floor(start, HOUR);
        Instant toHour = ceil(end, HOUR);
        return Flux.concat(
                        database.sql("SELECT pg_advisory_xact_lock(" + LOCK + ")").fetch().rowsUpdated(),
                        replace(database, "expert_5m", EXPERTS_5M, from5m, to5m, models),
                        replace(database, "layer_5m", LAYERS_5M, from5m, to5m, models),
                        replace(database, "expert_1h", EXPERTS_1H, fromHour, toHour, models),
                        replace(database, "layer_1h", LAYERS_1H, fromHour, toHour, models),
                        replaceWindows(database, "expert_total_window", EXPERT_TOTALS_WINDOW, start, end, models),
                        replaceWindows(database, "layer_total_window", LAYER_TOTALS_WINDOW, start, end, models),
                        replace(database, "expert_total_1m", EXPERT_TOTALS_1M, from1m, to1m, models),
                        replace(database, "layer_total_1m", LAYER_TOTALS_1M, from1m, to1m, models),
                        replace(database, "expert_total_5m", EXPERT_TOTALS.formatted("5m"), from5m, to5m, models),
                        replace(database, "layer_total_5m", LAYER_TOTALS.formatted("5m"), from5m, to5m, models),
                        replace(database, "expert_total_1h", EXPERT_TOTALS.formatted("1h"), fromHour, toHour, models),
                        replace(database, "layer_total_1h", LAYER_TOTALS.formatted("1h"), fromHour, toHour, models))
                .then();
    }

    /** Deletes the rows of {@code table} in {@code [from, to)} and inserts them again with {@code insert}. */
    private static Flux<Long> replace(DatabaseClient database, String table, String insert, Instant from, Instant to,
            String[] models) {
        return Flux.concat(span(database, "DELETE FROM " + table + " WHERE bucket_start >= $1 AND bucket_start < $2 AND model_id = ANY($3)",
                        from, to, models),
                span(database, insert, from, to, models));
    }

    /** Deletes the window totals of {@code table} starting in {@code [from, to)} and inserts them again with {@code insert}. */
    private static Flux<Long> replaceWindows(DatabaseClient database, String table, String insert, Instant from, Instant to,
            String[] models) {
        return Flux.concat(span(database, "DELETE FROM " + table + " WHERE window_start >= $1 AND window_start < $2 AND model_id = ANY($3)",
                        from, to, models),
                span(database, insert, from, to, models));
    }

    private static Mono<Long> span(DatabaseClient database, String sql, Instant from, Instant to, String[] models) {
        return database.sql(sql).bind(0, from).bind(1, to).bind(2, models).fetch().rowsUpdated();
    }

    static Instant floor(Instant t, int seconds) {
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), seconds) * seconds);
    }

    static Instant ceil(Instant t, int seconds) {
        Instant floor = floor(t, seconds);
        return floor.equals(t) ? t : floor.plusSeconds(seconds);
    }
}
