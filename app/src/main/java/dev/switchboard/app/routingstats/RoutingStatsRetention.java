package dev.switchboard.app.routingstats;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps the statistics tables small: raw windows older than {@code retention.raw-age} are summed into
 * {@code retention.rollup-bucket} buckets (instances folded together) and deleted in the same statement, with the
 * window totals that fold them (V7), so totals over any range stay exact. Rollups and every aggregate older than
 * {@code retention.aggregates} are deleted by whole buckets of every level (a multiple of an hour and of the rollup
 * bucket), so no level keeps a period that another has lost. Traces and their token counts (V7) older than
 * {@code retention.traces} are deleted by whole UTC days, together; requests older than theirs are deleted.
 */
final class RoutingStatsRetention {

    /** Rows summed into the rollups and rows deleted by one run. */
    record Result(long expertRowsRolledUp, long layerRowsRolledUp, long aggregateRowsDeleted, long tracesDeleted,
            long requestsDeleted) {}

    /** Every table whose rows are kept {@code retention.aggregates}, with its time column. */
    private static final String[][] AGGREGATES = {
        {"expert_window", "window_start"}, {"layer_window", "window_start"},
        {"expert_total_window", "window_start"}, {"layer_total_window", "window_start"},
        {"expert_rollup", "bucket_start"}, {"layer_rollup", "bucket_start"},
        {"expert_5m", "bucket_start"}, {"expert_1h", "bucket_start"}, {"layer_5m", "bucket_start"}, {"layer_1h", "bucket_start"},
        {"expert_total_1m", "bucket_start"}, {"expert_total_5m", "bucket_start"}, {"expert_total_1h", "bucket_start"},
        {"layer_total_1m", "bucket_start"}, {"layer_total_5m", "bucket_start"}, {"layer_total_1h", "bucket_start"},
    };
    private static final int DAY = 86_400;

    private static final String BUCKET = "to_timestamp((floor(extract(epoch FROM window_start) / $2::int) * $2::int)::float8)";
    private static final String ROLL_UP_EXPERTS = """
            WITH moved AS (DELETE FROM expert_window WHERE window_start < $1 RETURNING *)
            INSERT INTO expert_rollup (bucket_start, bucket_seconds, model_id, layer, expert, domain,
                                       first_choice, any_choice, router_prob_sum, dropped)
            SELECT %s, $2::int, model_id, layer, expert, domain,
                   sum(first_choice), sum(any_choice), sum(router_prob_sum), sum(dropped)
              FROM moved GROUP BY 1, model_id, layer, expert, domain
            ON CONFLICT (bucket_start, model_id, layer, expert, domain) DO UPDATE SET
                first_choice = expert_rollup.first_choice + excluded.first_choice,
                any_choice = expert_rollup.any_choice + excluded.any_choice,
                router_prob_sum = expert_rollup.router_prob_sum + excluded.router_prob_sum,
                dropped = expert_rollup.dropped + excluded.dropped
            """.formatted(BUCKET);
    private static final String ROLL_UP_LAYERS = """
            WITH moved AS (DELETE FROM layer_window WHERE window_start < $1 RETURNING *)
            INSERT INTO layer_rollup (bucket_start, bucket_seconds, model_id, layer, domain, num_experts, steps, tokens,
                                      dropped, aux_loss_sum, z_loss_sum, entropy_sum,
                                      consecutive_pairs, same_first_pairs, first_or_second_pairs)
            SELECT %s, $2::int, model_id, layer, domain, max(num_experts), sum(steps), sum(tokens),
                   sum(dropped), sum(aux_loss_sum), sum(z_loss_sum), sum(entropy_sum),
                   sum(consecutive_pairs), sum(same_first_pairs), sum(first_or_second_pairs)
              FROM moved GROUP BY 1, model_id, layer, domain
            ON CONFLICT (bucket_start, model_id, layer, domain) DO UPDATE SET
                num_experts = GREATEST(layer_rollup.num_experts, excluded.num_experts),
                steps = layer_rollup.steps + excluded.steps, tokens = layer_rollup.tokens + excluded.tokens,
                dropped = layer_rollup.dropped + excluded.dropped,
                aux_loss_sum = layer_rollup.aux_loss_sum + excluded.aux_loss_sum,
                z_loss_sum = layer_rollup.z_loss_sum + excluded.z_loss_sum,
                entropy_sum = layer_rollup.entropy_sum + excluded.entropy_sum,
                consecutive_pairs = layer_rollup.consecutive_pairs + excluded.consecutive_pairs,
                same_first_pairs = layer_rollup.same_first_pairs + excluded.same_first_pairs,
                first_or_second_pairs = layer_rollup.first_or_second_pairs + excluded.first_or_second_pairs
            """.formatted(BUCKET);

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final RoutingStatsProperties.Retention retention;
    private final Duration timeout;

    RoutingStatsRetention(DatabaseClient database, TransactionalOperator transactions,
            RoutingStatsProperties.Retention retention, Duration timeout) {
        this.database = database;
        this.transactions = transactions;
        this.retention = retention;
        this.timeout = timeout;
    }

    /** The run as one {@link Mono}: nothing happens until it is subscribed; each statement has the timeout. */
    Mono<Result> run(Instant now) {
        Instant rawCutoff = now.minus(retention.rawAge());
        int bucketSeconds = (int) retention.rollupBucket().toSeconds();
        var rollUps = Flux.concat(
                        database.sql(ROLL_UP_EXPERTS).bind(0, rawCutoff).bind(1, bucketSeconds).fetch().rowsUpdated(),
                        database.sql(ROLL_UP_LAYERS).bind(0, rawCutoff).bind(1, bucketSeconds).fetch().rowsUpdated(),
                        deleteBefore("expert_total_window", "window_start", rawCutoff),
                        deleteBefore("layer_total_window", "window_start", rawCutoff))
                .collectList();
        Instant aggregateCutoff = AggregateRefresh.floor(now.minus(retention.aggregates()), aggregateGrain(bucketSeconds));
        Mono<Long> aggregates = Flux.fromArray(AGGREGATES).concatMap(table -> deleteBefore(table[0], table[1], aggregateCutoff))
                .reduce(0L, Long::sum);
        // whole days: the daily token counts then never count a trace that is gone
        Instant traceCutoff = AggregateRefresh.floor(now.minus(retention.traces()), DAY);
        Mono<List<Long>> traces = Flux.concat(deleteBefore("token_trace", "traced_at", traceCutoff),
                        deleteBefore("token_count_1h", "bucket_start", traceCutoff),
                        deleteBefore("token_count_1d", "bucket_start", traceCutoff))
                .collectList();
        Mono<Long> requests = deleteBefore("completion_request", "received_at", now.minus(retention.requests())).timeout(timeout);
        return transactions.transactional(rollUps).timeout(timeout)
                .flatMap(rolled -> transactions.transactional(aggregates).timeout(timeout)
                        .flatMap(aggregateRows -> transactions.transactional(traces).timeout(timeout)
                                .flatMap(deletedTraces -> requests.map(deletedRequests -> new Result(rolled.get(0),
                                        rolled.get(1), aggregateRows, deletedTraces.get(0), deletedRequests)))));
    }

    /**
     * The grain the aggregates are cut at: whole hours (the coarsest aggregate) that are also whole rollup buckets, so
     * each level loses the same periods.
     */
    static int aggregateGrain(int rollupBucketSeconds) {
        return Math.toIntExact((long) rollupBucketSeconds / gcd(rollupBucketSeconds, AggregateRefresh.HOUR) * AggregateRefresh.HOUR);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private Mono<Long> deleteBefore(String table, String column, Instant cutoff) {
        return database.sql("DELETE FROM " + table + " WHERE " + column + " < $1").bind(0, cutoff).fetch().rowsUpdated();
    }
}
