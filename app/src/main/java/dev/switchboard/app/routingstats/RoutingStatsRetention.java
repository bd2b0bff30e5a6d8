package dev.switchboard.app.routingstats;

import java.time.Duration;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps the statistics tables small: raw windows older than {@code retention.raw-age} are summed into
 * {@code retention.rollup-bucket} buckets (instances folded together) and deleted in the same statement,
 * so totals over any range stay exact; traces and requests older than their retention are deleted.
 */
final class RoutingStatsRetention {

    /** Rows summed into the rollups and rows deleted by one run. */
    record Result(long expertRowsRolledUp, long layerRowsRolledUp, long tracesDeleted, long requestsDeleted) {}

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
                        database.sql(ROLL_UP_LAYERS).bind(0, rawCutoff).bind(1, bucketSeconds).fetch().rowsUpdated())
                .collectList();
        Mono<Long> traces = database.sql("DELETE FROM token_trace WHERE traced_at < $1")
                .bind(0, now.minus(retention.traces())).fetch().rowsUpdated().timeout(timeout);
        Mono<Long> requests = database.sql("DELETE FROM completion_request WHERE received_at < $1")
                .bind(0, now.minus(retention.requests())).fetch().rowsUpdated().timeout(timeout);
        return transactions.transactional(rollUps).timeout(timeout)
                .flatMap(rolled -> traces.flatMap(deletedTraces -> requests.map(deletedRequests ->
                        new Result(rolled.get(0), rolled.get(1), deletedTraces, deletedRequests))));
    }
}
