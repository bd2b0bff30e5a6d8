package dev.switchboard.app.routingstats;

import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;

/** Per-instance usage of a model over a range, for the fleet view ({@link FleetUsage}). Reactive, read-only. */
final class InstanceUsageRepository {

    private final DatabaseClient database;

    InstanceUsageRepository(DatabaseClient database) {
        this.database = database;
    }

    /** Model $1, range [$2, $3): requests joined with the raw windows' routed tokens per instance. */
    Flux<FleetUsage.InstanceUsage> instances(String model, Instant from, Instant to) {
        return database.sql("""
                        SELECT coalesce(r.instance_id, w.instance_id) AS instance_id, coalesce(r.requests, 0) AS requests,
                               coalesce(r.prompt_tokens, 0) AS prompt_tokens, coalesce(r.completion_tokens, 0) AS completion_tokens,
                               coalesce(w.routed_tokens, 0) AS routed_tokens
                          FROM (SELECT instance_id, count(*) AS requests, sum(prompt_tokens)::bigint AS prompt_tokens,
                                       sum(completion_tokens)::bigint AS completion_tokens
                                  FROM completion_request WHERE model_id = $1 AND received_at >= $2 AND received_at < $3
                                 GROUP BY instance_id) r
                          FULL JOIN (SELECT instance_id, sum(tokens)::bigint AS routed_tokens
                                       FROM layer_window WHERE model_id = $1 AND layer = 0 AND window_start >= $2 AND window_start < $3
                                      GROUP BY instance_id) w ON w.instance_id = r.instance_id
                         ORDER BY 1
                        """)
                .bind(0, model).bind(1, from).bind(2, to)
                .map(row -> new FleetUsage.InstanceUsage(row.get("instance_id", String.class), row.get("requests", Long.class),
                        row.get("prompt_tokens", Long.class), row.get("completion_tokens", Long.class),
                        row.get("routed_tokens", Long.class)))
                .all();
    }
}
