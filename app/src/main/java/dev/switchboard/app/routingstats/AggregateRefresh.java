package dev.switchboard.app.routingstats;

import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Recomputes the 5-minute and hourly aggregates (V4) that cover a written window's span, inside the
 * window's transaction: the 5-minute buckets from the raw rows and rollups ({@code expert_usage},
 * {@code layer_usage}), the hours from the 5-minute buckets. Recomputing (not adding) keeps every write
 * idempotent, as the raw upserts are.
 *
 * <p>Instances writing to one database take turns here (a transaction-scoped advisory lock): each
 * statement then sees every other instance's committed rows, so no recomputation misses a concurrent one.
 */
final class AggregateRefresh {

    static final int FIVE_MINUTES = 300;
    static final int HOUR = 3600;
    /** Any fixed number: the lock's name among this database's advisory locks. */
    private static final long LOCK = 0x5357_4244_4147_4752L;

    private static final String BUCKET_5M = "to_timestamp(floor(extract(epoch FROM period_start) / 300) * 300)";
    private static final String EXPERTS_5M = """
            INSERT INTO expert_5m
            SELECT %s, model_id, layer, expert, domain, sum(first_choice), sum(any_choice), sum(router_prob_sum), sum(dropped)
              FROM expert_usage WHERE period_start >= $1 AND period_start < $2 GROUP BY 1, model_id, layer, expert, domain
            """.formatted(BUCKET_5M);
    private static final String EXPERTS_1H = """
            INSERT INTO expert_1h
            SELECT date_trunc('hour', bucket_start), model_id, layer, expert, domain,
                   sum(first_choice), sum(any_choice), sum(router_prob_sum), sum(dropped)
              FROM expert_5m WHERE bucket_start >= $1 AND bucket_start < $2 GROUP BY 1, model_id, layer, expert, domain
            """;
    private static final String LAYERS_5M = """
            INSERT INTO layer_5m
            SELECT %s, model_id, layer, domain, max(num_experts), sum(steps), sum(tokens), sum(dropped), sum(aux_loss_sum),
                   sum(z_loss_sum), sum(entropy_sum), sum(consecutive_pairs), sum(same_first_pairs), sum(first_or_second_pairs)
              FROM layer_usage WHERE period_start >= $1 AND period_start < $2 GROUP BY 1, model_id, layer, domain
            """.formatted(BUCKET_5M);
    private static final String LAYERS_1H = """
            INSERT INTO layer_1h
            SELECT date_trunc('hour', bucket_start), model_id, layer, domain, max(num_experts), sum(steps), sum(tokens),
                   sum(dropped), sum(aux_loss_sum), sum(z_loss_sum), sum(entropy_sum), sum(consecutive_pairs),
                   sum(same_first_pairs), sum(first_or_second_pairs)
              FROM layer_5m WHERE bucket_start >= $1 AND bucket_start < $2 GROUP BY 1, model_id, layer, domain
            """;

    private AggregateRefresh() {}

    /** The statements that make the aggregates of every bucket touching {@code [start, end)} exact again. */
    static Mono<Void> statements(DatabaseClient database, Instant start, Instant end) {
        Instant from5m = floor(start, FIVE_MINUTES);
        Instant to5m = ceil(end, FIVE_MINUTES);
        Instant fromHour = floor(start, HOUR);
        Instant toHour = ceil(end, HOUR);
        return Flux.concat(
                        database.sql("SELECT pg_advisory_xact_lock(" + LOCK + ")").fetch().rowsUpdated(),
                        span(database, "DELETE FROM expert_5m WHERE bucket_start >= $1 AND bucket_start < $2", from5m, to5m),
                        span(database, EXPERTS_5M, from5m, to5m),
                        span(database, "DELETE FROM layer_5m WHERE bucket_start >= $1 AND bucket_start < $2", from5m, to5m),
                        span(database, LAYERS_5M, from5m, to5m),
                        span(database, "DELETE FROM expert_1h WHERE bucket_start >= $1 AND bucket_start < $2", fromHour, toHour),
                        span(database, EXPERTS_1H, fromHour, toHour),
                        span(database, "DELETE FROM layer_1h WHERE bucket_start >= $1 AND bucket_start < $2", fromHour, toHour),
                        span(database, LAYERS_1H, fromHour, toHour))
                .then();
    }

    private static Mono<Long> span(DatabaseClient database, String sql, Instant from, Instant to) {
        return database.sql(sql).bind(0, from).bind(1, to).fetch().rowsUpdated();
    }

    static Instant floor(Instant t, int seconds) {
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), seconds) * seconds);
    }

    static Instant ceil(Instant t, int seconds) {
        Instant floor = floor(t, seconds);
        return floor.equals(t) ? t : floor.plusSeconds(seconds);
    }
}
