package dev.switchboard.app.routingstats;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;

/**
 * Reads the routing statistics, each part of a range from the coarsest level that fits ({@link ReadLevels}): with
 * domains summed (the charts), the one-minute, 5-minute and hourly totals (V5) and, for the ragged ends and 10 s
 * buckets, each window's totals (V7) and the rollups; by domain, the 5-minute and hourly aggregates (V4) and the raw
 * windows and rollups (the {@code expert_usage} and {@code layer_usage} views). Top tokens come from the daily and
 * hourly token counts (V7) and, at the ragged ends, from the traces. Periods are grouped into buckets by their start.
 * The statements are {@link PeriodQueries}'; buckets are summed by {@link BucketSums}. Reactive, read-only.
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

    static final long WHOLE_RANGE = 0;
    private static final int[] TOKEN_GRAINS = {AggregateRefresh.HOUR, 24 * AggregateRefresh.HOUR};
    private static final String TOP_TOKENS = """
            SELECT token_text, sum(n)::bigint AS n FROM (
                SELECT token_text, count(*) AS n FROM token_trace
                 WHERE model_id = $1 AND layer = $2 AND %1$s
                   AND ((traced_at >= $4 AND traced_at < $7) OR (traced_at >= $8 AND traced_at < $5))
                 GROUP BY token_text
                UNION ALL
                SELECT token_text, %2$s FROM token_count_1h WHERE model_id = $1 AND layer = $2 AND expert = $3
                   AND ((bucket_start >= $7 AND bucket_start < $9) OR (bucket_start >= $10 AND bucket_start < $8))
                UNION ALL
                SELECT token_text, %2$s FROM token_count_1d WHERE model_id = $1 AND layer = $2 AND expert = $3
                   AND bucket_start >= $9 AND bucket_start < $10) AS counted
             GROUP BY token_text HAVING sum(n) > 0 ORDER BY n DESC, token_text LIMIT $6
            """;
    private static final String TOP_TOKENS_FIRST = TOP_TOKENS.formatted("experts[1] = $3", "first_choice");
    /** {@code = ANY}, not {@code @>}: the same test, which the GIN index on experts (all of an expert's traces) cannot serve. */
    private static final String TOP_TOKENS_ANY = TOP_TOKENS.formatted("$3::int = ANY(experts)", "any_choice");

    private final DatabaseClient database;

    RoutingStatsRepository(DatabaseClient database) {
        this.database = database;
    }

    /** Per-expert totals by bucket; {@code byDomain} keeps domains apart, otherwise they are summed ('' in the result). */
    Flux<ExpertUsage> experts(String model, Instant from, Instant to, long bucketSeconds, boolean byDomain) {
        // read by position with the columns' own types: looking each column up by name and converting through
        // Number cost more than PostgreSQL's part for the thousands of rows of a chart
        return expertsRead(model, from, to, bucketSeconds, byDomain).on(database)
                .map(row -> new ExpertUsage(Instant.ofEpochSecond(row.get(0, Long.class)), row.get(1, String.class),
                        row.get(2, Integer.class), row.get(3, Integer.class), row.get(4, Long.class), row.get(5, Long.class),
                        row.get(6, Double.class), 0))
                .all()
                .bufferUntilChanged(ExpertUsage::bucketStart) // rows come in time order, one bucket after the other
                .flatMapIterable(BucketSums::experts) // a whole range comes summed already: summing one row per key keeps it
                .bufferUntilChanged(u -> new LayerSlot(u.bucketStart(), u.domain(), u.layer())) // now ordered by slot
                .flatMapIterable(RoutingStatsRepository::withShares);
    }

    /** The experts of one layer slot with each one's share of the slot's assignments. */
    private static List<ExpertUsage> withShares(List<ExpertUsage> slot) {
        long assignments = 0;
        for (ExpertUsage u : slot) assignments += u.anyChoice();
        List<ExpertUsage> shared = new ArrayList<>(slot.size());
        for (ExpertUsage u : slot) {
            shared.add(new ExpertUsage(u.bucketStart(), u.domain(), u.layer(), u.expert(), u.firstChoice(), u.anyChoice(),
                    u.routerProbabilitySum(), assignments == 0 ? 0 : (double) u.anyChoice() / assignments));
        }
        return shared;
    }

    Flux<LayerUsage> layers(String model, Instant from, Instant to, long bucketSeconds, boolean byDomain) {
        return layersRead(model, from, to, bucketSeconds, byDomain).on(database)
                .map(row -> new LayerUsage(Instant.ofEpochSecond(row.get(0, Long.class)), row.get(1, String.class),
                        row.get(2, Integer.class), row.get(3, Integer.class), row.get(4, Long.class), row.get(5, Long.class),
                        row.get(6, Long.class), row.get(7, Double.class), row.get(8, Double.class), row.get(9, Double.class),
                        row.get(10, Long.class), row.get(11, Long.class), row.get(12, Long.class)))
                .all()
                .bufferUntilChanged(LayerUsage::bucketStart)
                .flatMapIterable(BucketSums::layers);
    }

    /** The most frequent token texts routed to {@code expert} at {@code layer} in the sampled traces. */
    Flux<TokenCount> topTokens(String model, int layer, int expert, boolean firstChoiceOnly, Instant from, Instant to, int limit) {
        return topTokensRead(model, layer, expert, firstChoiceOnly, from, to, limit).on(database)
                .map(row -> new TokenCount(row.get(0, String.class), row.get(1, Long.class)))
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
        boolean whole = bucketSeconds == WHOLE_RANGE;
        return byDomain
                ? withLevels(whole ? PeriodQueries.EXPERTS_BY_DOMAIN_WHOLE : PeriodQueries.EXPERTS_BY_DOMAIN_BUCKETED, model, from, to,
                        bucketSeconds, PeriodQueries.BY_DOMAIN_GRAINS)
                : withLevels(whole ? PeriodQueries.EXPERTS_TOTAL_WHOLE : PeriodQueries.EXPERTS_TOTAL_BUCKETED, model, from, to,
                        bucketSeconds, PeriodQueries.TOTAL_GRAINS);
    }

    /**
     * The statement {@link #topTokens} runs: the whole days of the range from the daily token counts, the whole hours
     * around them from the hourly ones (V7), the ragged ends from the traces ({@link ReadLevels}); $7 and $8 are the
     * hours' lo and hi, $9 and $10 the days'.
     */
    static BoundRead topTokensRead(String model, int layer, int expert, boolean firstChoiceOnly, Instant from, Instant to, int limit) {
        String sql = firstChoiceOnly ? TOP_TOKENS_FIRST : TOP_TOKENS_ANY;
        List<Object> values = new ArrayList<>(List.of(model, layer, expert, from, to, limit));
        values.addAll(ReadLevels.of(from, to, WHOLE_RANGE, TOKEN_GRAINS).bounds());
        return new BoundRead(sql, List.copyOf(values));
    }

    /** The statement {@link #layers} runs. */
    static BoundRead layersRead(String model, Instant from, Instant to, long bucketSeconds, boolean byDomain) {
        boolean whole = bucketSeconds == WHOLE_RANGE;
        return byDomain
                ? withLevels(whole ? PeriodQueries.LAYERS_BY_DOMAIN_WHOLE : PeriodQueries.LAYERS_BY_DOMAIN_BUCKETED, model, from, to,
                        bucketSeconds, PeriodQueries.BY_DOMAIN_GRAINS)
                : withLevels(whole ? PeriodQueries.LAYERS_TOTAL_WHOLE : PeriodQueries.LAYERS_TOTAL_BUCKETED, model, from, to,
                        bucketSeconds, PeriodQueries.TOTAL_GRAINS);
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

    private static BoundRead withLevels(String sql, String model, Instant from, Instant to, long bucketSeconds, int[] grains) {
        List<Object> values = new ArrayList<>(List.of(model, from, to, (int) bucketSeconds));
        values.addAll(ReadLevels.of(from, to, bucketSeconds, grains).bounds());
        return new BoundRead(sql, List.copyOf(values));
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
}
