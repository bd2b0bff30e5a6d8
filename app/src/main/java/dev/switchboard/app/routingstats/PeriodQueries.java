package dev.switchboard.app.routingstats;

import java.util.ArrayList;
import java.util.List;

/**
 * The statements that read a model's expert or layer periods in [$2, $3), each part of the range from its level
 * ({@link ReadLevels}; $5 and $6 are the finest aggregate's lo and hi, $7 and $8 the next one's, …; $4 is the bucket
 * size in seconds, 0 for the whole range). The ragged ends come from the raw windows and rollups when domains are kept,
 * otherwise from the window totals (V7) and rollups.
 *
 * <p>A whole range is one bucket: PostgreSQL sums the periods into a few rows. In buckets, the statement returns the
 * periods themselves, each tagged with its bucket, in time order, and the caller sums each bucket
 * ({@link BucketSums}): grouping tens of thousands of rows into as many groups in PostgreSQL cost a hash aggregate and a
 * sort, both spilling to disk past {@code work_mem}, while each part of the range, read in its index's order, merges
 * into time order without sorting.
 */
final class PeriodQueries {

    /** The aggregates kept by domain (V4) and with domains and instances folded (V5), finest first. */
    static final int[] BY_DOMAIN_GRAINS = {AggregateRefresh.FIVE_MINUTES, AggregateRefresh.HOUR};
    static final int[] TOTAL_GRAINS = {AggregateRefresh.MINUTE, AggregateRefresh.FIVE_MINUTES, AggregateRefresh.HOUR};
    private static final String[] BY_DOMAIN_LEVELS = {"%s_5m", "%s_1h"};
    private static final String[] TOTAL_LEVELS = {"%s_total_1m", "%s_total_5m", "%s_total_1h"};
    private static final String EXPERT_COLUMNS = "layer, expert, first_choice, any_choice, router_prob_sum";
    private static final String LAYER_COLUMNS = "layer, num_experts, steps, tokens, dropped, aux_loss_sum, z_loss_sum, entropy_sum,"
            + " consecutive_pairs, same_first_pairs, first_or_second_pairs";
    private static final String EXPERT_SUMS = "layer, expert, sum(first_choice)::bigint, sum(any_choice)::bigint, sum(router_prob_sum)::float8";
    private static final String LAYER_SUMS = "layer, max(num_experts), sum(steps)::bigint, sum(tokens)::bigint, sum(dropped)::bigint,"
            + " sum(aux_loss_sum)::float8, sum(z_loss_sum)::float8, sum(entropy_sum)::float8, sum(consecutive_pairs)::bigint,"
            + " sum(same_first_pairs)::bigint, sum(first_or_second_pairs)::bigint";

    static final String EXPERTS_BY_DOMAIN_WHOLE = whole("expert", "expert_usage", EXPERT_COLUMNS, EXPERT_SUMS, "layer, expert", true);
    static final String EXPERTS_TOTAL_WHOLE = whole("expert", "expert_total_usage", EXPERT_COLUMNS, EXPERT_SUMS, "layer, expert", false);
    static final String LAYERS_BY_DOMAIN_WHOLE = whole("layer", "layer_usage", LAYER_COLUMNS, LAYER_SUMS, "layer", true);
    static final String LAYERS_TOTAL_WHOLE = whole("layer", "layer_total_usage", LAYER_COLUMNS, LAYER_SUMS, "layer", false);
    static final String EXPERTS_BY_DOMAIN_BUCKETED = bucketed("expert", "expert_usage", EXPERT_COLUMNS, true);
    static final String EXPERTS_TOTAL_BUCKETED = bucketed("expert", "expert_total_usage", EXPERT_COLUMNS, false);
    static final String LAYERS_BY_DOMAIN_BUCKETED = bucketed("layer", "layer_usage", LAYER_COLUMNS, true);
    static final String LAYERS_TOTAL_BUCKETED = bucketed("layer", "layer_total_usage", LAYER_COLUMNS, false);

    private PeriodQueries() {}

    /**
     * Columns: bucket start (epoch seconds: $2, plus $4, which is 0 here but bound to every statement alike), domain, then
     * {@code sums} grouped by domain and {@code keys}.
     */
    private static String whole(String kind, String raw, String columns, String sums, String keys, boolean byDomain) {
        return "SELECT floor(extract(epoch FROM $2::timestamptz))::bigint + $4::int, domain, " + sums
                + " FROM (" + String.join(" UNION ALL ", parts(kind, raw, columns, byDomain, false)) + ") AS periods"
                + " GROUP BY domain, " + keys + " ORDER BY domain, " + keys;
    }

    /**
     * Columns: bucket start (epoch seconds), domain, then {@code columns} of each period, ordered by period start. The
     * epoch comes from {@code date_part} (float8, exact for these whole seconds): {@code extract} is {@code numeric} since
     * PostgreSQL 14, and costly on every row.
     */
    private static String bucketed(String kind, String raw, String columns, boolean byDomain) {
        return "SELECT floor(date_part('epoch', period_start))::bigint / $4::int * $4::int, domain, " + columns
                + " FROM (" + String.join(" UNION ALL ", parts(kind, raw, columns, byDomain, true)) + ") AS periods"
                + " ORDER BY period_start";
    }

    /**
     * One SELECT per part of the range. Split: each part a single range of its index, so PostgreSQL can read it in
     * index order; otherwise the two ends of a level share one SELECT.
     */
    private static List<String> parts(String kind, String raw, String columns, boolean byDomain, boolean split) {
        String[] levels = byDomain ? BY_DOMAIN_LEVELS : TOTAL_LEVELS;
        String domain = byDomain ? "domain" : "''";
        List<String> parts = new ArrayList<>();
        String rawSelect = "SELECT period_start, %s AS domain, %s FROM %s WHERE model_id = $1 AND ".formatted(domain, columns, raw);
        add(parts, rawSelect, "period_start", "$2", "$5", "$6", "$3", split);
        for (int i = 0; i < levels.length; i++) {
            int lo = 5 + 2 * i;
            int hi = lo + 1;
            String select = "SELECT bucket_start AS period_start, %s AS domain, %s FROM %s WHERE model_id = $1 AND "
                    .formatted(domain, columns, levels[i].formatted(kind));
            if (i + 1 < levels.length) {
                add(parts, select, "bucket_start", "$" + lo, "$" + (lo + 2), "$" + (hi + 2), "$" + hi, split);
            } else {
                parts.add(select + "bucket_start >= $%d AND bucket_start < $%d".formatted(lo, hi));
            }
        }
        return parts;
    }

    /** The ranges [a, b) and [c, d) of {@code column}: two SELECTs when split, else one. */
    private static void add(List<String> parts, String select, String column, String a, String b, String c, String d, boolean split) {
        String left = "%1$s >= %2$s AND %1$s < %3$s".formatted(column, a, b);
        String right = "%1$s >= %2$s AND %1$s < %3$s".formatted(column, c, d);
        if (split) {
            parts.add(select + left);
            parts.add(select + right);
        } else {
            parts.add(select + "((" + left + ") OR (" + right + "))");
        }
    }
}
