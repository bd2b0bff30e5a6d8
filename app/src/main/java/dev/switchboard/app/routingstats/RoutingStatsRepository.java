package dev.switchboard.app.routingstats;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;

/**
 * Reads the routing statistics: raw windows and rollups (the {@code expert_usage} and {@code layer_usage}
 * views) where the requested buckets need them, the 5-minute and hourly aggregates (V4) everywhere else
 * ({@link ReadLevels}). Periods are grouped into buckets by their start. Reactive, read-only.
 */
final class RoutingStatsRepository {

    /** Per-expert totals of one layer in one bucket; {@code share} is its part of the layer's assignments. */
    record ExpertUsage(Instant bucketStart, String domain, int layer, int expert, long firstChoice, long anyChoice,
            double routerProbabilitySum, double share) {}

    /** Per-layer totals in one bucket (sums; see layer_window in V2 for their meaning). */
    record LayerUsage(Instant bucketStart, String domain, int layer, int numExperts, long steps, long tokens, long dropped,
            double auxLossSum, double zLossSum, double entropySum, long consecutivePairs, long sameFirstPairs,
            long firstOrSecondPairs) {}

    record TokenCount(String token, long count) {}

    record ExpertEvent(Instant occurredAt, String instanceId, @Nullable String modelId, @Nullable Integer layer,
            @Nullable Integer expert, @Nullable String plugin, String kind, @Nullable String reason) {}

    /** Bucket size $4 in seconds; 0 puts the whole range in one bucket starting at {@code from}. */
    private static final String BUCKET = "CASE WHEN $4::int <= 0 THEN $2::timestamptz"
            + " ELSE to_timestamp((floor(extract(epoch FROM period_start) / $4::int) * $4::int)::float8) END";
    static final long WHOLE_RANGE = 0;
    /**
     * The periods of model $1 in [$2, $3), each part of the range from its level ({@link ReadLevels}: $5 fiveFrom,
     * $6 hourFrom, $7 hourTo, $8 fiveTo). {@code %1$s} is the raw view, {@code %2$s} the table prefix, {@code %3$s} the columns.
     */
    private static final String LEVELS = """
            (SELECT period_start, %3$s FROM %1$s WHERE model_id = $1
                AND ((period_start >= $2 AND period_start < $5) OR (period_start >= $8 AND period_start < $3))
             UNION ALL
             SELECT bucket_start, %3$s FROM %2$s_5m WHERE model_id = $1
                AND ((bucket_start >= $5 AND bucket_start < $6) OR (bucket_start >= $7 AND bucket_start < $8))
             UNION ALL
             SELECT bucket_start, %3$s FROM %2$s_1h WHERE model_id = $1 AND bucket_start >= $6 AND bucket_start < $7) AS periods
            """;
    private static final String EXPERT_PERIODS = LEVELS.formatted("expert_usage", "expert",
            "layer, expert, domain, first_choice, any_choice, router_prob_sum");
    private static final String LAYER_PERIODS = LEVELS.formatted("layer_usage", "layer",
            "layer, domain, num_experts, steps, tokens, dropped, aux_loss_sum, z_loss_sum, entropy_sum, consecutive_pairs, "
                    + "same_first_pairs, first_or_second_pairs");
    private static final String EXPERTS = """
            SELECT bucket, domain, layer, expert, f, a, p, a::float8 / nullif(sum(a) OVER (PARTITION BY bucket, domain, layer), 0) AS share
              FROM (SELECT %s AS bucket, %s AS domain, layer, expert, sum(first_choice)::bigint AS f,
                           sum(any_choice)::bigint AS a, sum(router_prob_sum) AS p
                      FROM %s
                     GROUP BY 1, 2, layer, expert) t
             ORDER BY bucket, domain, layer, expert
            """;
    private static final String LAYERS = """
            SELECT %s AS bucket, %s AS domain, layer, max(num_experts) AS n, sum(steps)::bigint AS steps,
                   sum(tokens)::bigint AS tokens, sum(dropped)::bigint AS dropped, sum(aux_loss_sum) AS aux,
                   sum(z_loss_sum) AS z, sum(entropy_sum) AS entropy, sum(consecutive_pairs)::bigint AS pairs,
                   sum(same_first_pairs)::bigint AS same_first, sum(first_or_second_pairs)::bigint AS first_or_second
              FROM %s
             GROUP BY 1, 2, layer ORDER BY 1, 2, layer
            """;

    private final DatabaseClient database;

    RoutingStatsRepository(DatabaseClient database) {
        this.database = database;
    }

    /** Per-expert totals by bucket; {@code byDomain} keeps domains apart, otherwise they are summed ('' in the result). */
    Flux<ExpertUsage> experts(String model, Instant from, Instant to, long bucketSeconds, boolean byDomain) {
        return expertsRead(model, from, to, bucketSeconds, byDomain).on(database)
                .map(row -> new ExpertUsage(instant(row, "bucket"), row.get("domain", String.class), integer(row, "layer"),
                        integer(row, "expert"), along(row, "f"), along(row, "a"), adouble(row, "p"), adouble(row, "share")))
                .all();
    }

    Flux<LayerUsage> layers(String model, Instant from, Instant to, long bucketSeconds, boolean byDomain) {
        return layersRead(model, from, to, bucketSeconds, byDomain).on(database)
                .map(row -> new LayerUsage(instant(row, "bucket"), row.get("domain", String.class), integer(row, "layer"),
                        integer(row, "n"), along(row, "steps"), along(row, "tokens"), along(row, "dropped"), adouble(row, "aux"),
                        adouble(row, "z"), adouble(row, "entropy"), along(row, "pairs"), along(row, "same_first"),
                        along(row, "first_or_second")))
                .all();
    }

    /** The most frequent token texts routed to {@code expert} at {@code layer} in the sampled traces. */
    Flux<TokenCount> topTokens(String model, int layer, int expert, boolean firstChoiceOnly, Instant from, Instant to, int limit) {
        String match = firstChoiceOnly ? "experts[1] = $3" : "experts @> ARRAY[$3::int]";
        return database.sql("""
                        SELECT token_text, count(*) AS n FROM token_trace
                         WHERE model_id = $1 AND layer = $2 AND %s AND traced_at >= $4 AND traced_at < $5
                         GROUP BY token_text ORDER BY n DESC, token_text LIMIT $6
                        """.formatted(match))
                .bind(0, model).bind(1, layer).bind(2, expert).bind(3, from).bind(4, to).bind(5, limit)
                .map(row -> new TokenCount(row.get("token_text", String.class), along(row, "n")))
                .all();
    }

    Flux<ExpertEvent> events(Instant from, Instant to, int limit) {
        return database.sql("""
                        SELECT occurred_at, instance_id, model_id, layer, expert, plugin, kind, reason FROM expert_event
                         WHERE occurred_at >= $1 AND occurred_at < $2 ORDER BY occurred_at DESC, id DESC LIMIT $3
                        """)
                .bind(0, from).bind(1, to).bind(2, limit)
                .map(row -> new ExpertEvent(instant(row, "occurred_at"), row.get("instance_id", String.class),
                        row.get("model_id", String.class), row.get("layer", Integer.class), row.get("expert", Integer.class),
                        row.get("plugin", String.class), row.get("kind", String.class), row.get("reason", String.class)))
                .all();
    }

    /** The statement {@link #experts} runs; {@code bench-stats-reads} explains it. */
    static BoundRead expertsRead(String model, Instant from, Instant to, long bucketSeconds, boolean byDomain) {
        return withLevels(EXPERTS.formatted(BUCKET, byDomain ? "domain" : "''", EXPERT_PERIODS), model, from, to, bucketSeconds);
    }

    /** The statement {@link #layers} runs. */
    static BoundRead layersRead(String model, Instant from, Instant to, long bucketSeconds, boolean byDomain) {
        return withLevels(LAYERS.formatted(BUCKET, byDomain ? "domain" : "''", LAYER_PERIODS), model, from, to, bucketSeconds);
    }

    /** A read's SQL with its values for $1, $2, …: what runs, and what {@code bench-stats-reads} asks PostgreSQL to explain. */
    record BoundRead(String sql, List<Object> values) {
        DatabaseClient.GenericExecuteSpec on(DatabaseClient database) {
            return on(database, sql);
        }

        /** The same values bound to another text of the statement, such as an {@code EXPLAIN} of it. */
        DatabaseClient.GenericExecuteSpec on(DatabaseClient database, String text) {
            DatabaseClient.GenericExecuteSpec spec = database.sql(text);
            for (int i = 0; i < values.size(); i++) {
                spec = spec.bind(i, values.get(i));
            }
            return spec;
        }
    }

    private static BoundRead withLevels(String sql, String model, Instant from, Instant to, long bucketSeconds) {
        ReadLevels levels = ReadLevels.of(from, to, bucketSeconds);
        return new BoundRead(sql, List.of(model, from, to, (int) bucketSeconds, levels.fiveFrom(), levels.hourFrom(),
                levels.hourTo(), levels.fiveTo()));
    }

    /** One layer of one bucket and domain: the key that joins {@link LayerUsage} rows to their {@link ExpertUsage} rows. */
    record LayerSlot(Instant bucketStart, String domain, int layer) {}

    /**
     * The expert rows grouped by layer slot, built once per answer: looking each layer up in the whole list
     * made a week of 10 s buckets quadratic (seconds for {@code /balance}).
     */
    static Map<LayerSlot, List<ExpertUsage>> byLayer(List<ExpertUsage> all) {
        return all.stream().collect(Collectors.groupingBy(u -> new LayerSlot(u.bucketStart(), u.domain(), u.layer())));
    }

    static List<ExpertUsage> ofLayer(Map<LayerSlot, List<ExpertUsage>> byLayer, LayerUsage layer) {
        return byLayer.getOrDefault(new LayerSlot(layer.bucketStart(), layer.domain(), layer.layer()), List.of());
    }

    private static Instant instant(Readable row, String column) {
        return row.get(column, java.time.OffsetDateTime.class).toInstant();
    }

    private static int integer(Readable row, String column) {
        Number value = row.get(column, Number.class);
        return value == null ? 0 : value.intValue();
    }

    private static long along(Readable row, String column) {
        Number value = row.get(column, Number.class);
        return value == null ? 0 : value.longValue();
    }

    private static double adouble(Readable row, String column) {
        Number value = row.get(column, Number.class);
        return value == null ? 0 : value.doubleValue();
    }
}
