package dev.switchboard.app.routingstats;

import static dev.switchboard.app.routingstats.Steps.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.routingstats.RoutingStatsRepository.ExpertUsage;
import dev.switchboard.app.routingstats.RoutingStatsRepository.LayerUsage;
import dev.switchboard.app.routingstats.RoutingStatsRepository.TokenCount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Every answer read from the pre-aggregated levels (V4, V5, V7: window totals, minute, 5-minute and hourly totals,
 * token counts) equals the same question asked of the raw tables alone, column by column, on generated data: two
 * instances writing three domains in windows that do not line up, ranges off every grid, every bucket the dashboard
 * uses, and traces written twice (a retried batch). The routing probabilities and losses of {@link Steps} are
 * multiples of 1/4, so their sums are exact in any order and compared exactly too.
 */
class AggregatedReadsEqualRawTablesTest {

    private static final String MODEL = "equal-model";
    private static final String[] DOMAINS = {"code", "prose", ""};
    private static final int EXPERTS = 4;
    private final TestDatabase db = TestDatabase.shared();

    @BeforeEach
    void cleanDatabase() {
        db.truncateStatistics();
    }

    @Test
    void chartsAndDomainReadsEqualTheRawWindowsColumnByColumn() {
        List<StatsHarness> instances = List.of(new StatsHarness(db), new StatsHarness(db));
        instances.get(1).clock.advance(Duration.ofSeconds(3)); // the second instance's windows start 3 s later
        for (int w = 0; w < 6 * 130; w++) { // 2 h 10 min of 10 s windows
            for (int i = 0; i < instances.size(); i++) {
                if ((w + i) % 4 != 3) { // some windows idle, differently per instance
                    int e = (w * 3 + i) % EXPERTS;
                    String domain = DOMAINS[(w + i) % DOMAINS.length];
                    instances.get(i).recorder.recordStep(MODEL, domain, List.of(
                            step(0, EXPERTS, new int[][] {{e, (e + 1) % EXPERTS}, {(e + 2) % EXPERTS, e}}, w % 3),
                            step(1, EXPERTS, new int[][] {{(e + 3) % EXPERTS, e}}, 0)));
                    SequenceRoutes sequence = instances.get(i).recorder.openSequence(MODEL, domain);
                    instances.get(i).recorder.recordTokenRoutes(sequence, 0, new int[] {e, (e + 1) % EXPERTS});
                    instances.get(i).recorder.recordTokenRoutes(sequence, 0, new int[] {e, (e + 2) % EXPERTS});
                }
                assertThat(instances.get(i).nextWindow()).isTrue();
            }
        }
        RoutingStatsRepository repository = new RoutingStatsRepository(DatabaseClient.create(db.connectionFactory()));
        Instant[][] ranges = {
            {StatsHarness.T0.plusSeconds(7 * 60 + 13), StatsHarness.T0.plusSeconds(2 * 3600 + 3 * 60 + 7)},
            {StatsHarness.T0, StatsHarness.T0.plus(Duration.ofHours(2))},
            {StatsHarness.T0.plusSeconds(301), StatsHarness.T0.plusSeconds(1799)},
        };
        for (Instant[] range : ranges) {
            for (long bucket : new long[] {10, 60, 300, 900, 3600, 7200, RoutingStatsRepository.WHOLE_RANGE}) {
                for (boolean byDomain : new boolean[] {false, true}) {
                    String what = "%s to %s, bucket %d s, by domain %s".formatted(range[0], range[1], bucket, byDomain);
                    List<ExpertUsage> experts = repository.experts(MODEL, range[0], range[1], bucket, byDomain)
                            .collectList().block(Duration.ofSeconds(30));
                    List<LayerUsage> layers = repository.layers(MODEL, range[0], range[1], bucket, byDomain)
                            .collectList().block(Duration.ofSeconds(30));
                    assertThat(experts).as("experts, " + what).isNotEmpty();
                    assertThat(expertRows(experts)).as("experts, " + what).isEqualTo(rawExpertRows(range[0], range[1], bucket, byDomain));
                    assertThat(layerRows(layers)).as("layers, " + what).isEqualTo(rawLayerRows(range[0], range[1], bucket, byDomain));
                }
            }
        }
    }

    @Test
    void topTokensFromTheTokenCountsEqualTheTracesEvenWhenABatchIsWrittenTwice() {
        StatsHarness stats = new StatsHarness(db);
        List<SampledRoute> traces = new ArrayList<>();
        for (int t = 0; t < 3_000; t++) { // over 3 days and a bit, off the hour and day grids
            Instant at = StatsHarness.T0.plusSeconds(t * 97L + 41);
            int first = (t * 7) % 8;
            int[] experts = t % 11 == 0 ? new int[0] : new int[] {first, (first + 1 + t % 3) % 8}; // some dropped tokens
            traces.add(new SampledRoute("req-" + (t / 10), at, MODEL, null, t % 10, "tok" + (t * 31 % 17), t % 2, experts,
                    new float[experts.length]));
        }
        for (int from = 0; from < traces.size(); from += 500) {
            List<SampledRoute> batch = traces.subList(from, Math.min(traces.size(), from + 500));
            stats.writer.writeTraces(batch).block();
            if (from % 1000 == 0) {
                stats.writer.writeTraces(batch).block(); // the acknowledgement was lost: the flusher writes it again
            }
        }
        RoutingStatsRepository repository = new RoutingStatsRepository(DatabaseClient.create(db.connectionFactory()));
        Instant[][] ranges = {
            {StatsHarness.T0, StatsHarness.T0.plus(Duration.ofDays(4))},
            {StatsHarness.T0.plusSeconds(5_000), StatsHarness.T0.plusSeconds(250_000)},
            {StatsHarness.T0.plusSeconds(90_061), StatsHarness.T0.plusSeconds(93_000)},
            {StatsHarness.T0.plusSeconds(43_200), StatsHarness.T0.plusSeconds(43_200 + 2 * 86_400)},
        };
        for (Instant[] range : ranges) {
            for (int layer = 0; layer < 2; layer++) {
                for (int expert = 0; expert < 8; expert++) {
                    for (boolean first : new boolean[] {false, true}) {
                        List<TokenCount> counted = repository.topTokens(MODEL, layer, expert, first, range[0], range[1], 100)
                                .collectList().block(Duration.ofSeconds(30));
                        assertThat(counted).as("%s to %s, layer %d, expert %d, first %s", range[0], range[1], layer, expert, first)
                                .isEqualTo(rawTopTokens(layer, expert, first, range[0], range[1]));
                    }
                }
            }
        }
        assertThat(repository.topTokens(MODEL, 0, 0, false, ranges[0][0], ranges[0][1], 100).collectList().block())
                .as("the first range counts something").isNotEmpty();
    }

    private List<TokenCount> rawTopTokens(int layer, int expert, boolean first, Instant from, Instant to) {
        String match = first ? "experts[1] = " + expert : "experts @> ARRAY[" + expert + "]";
        List<TokenCount> counts = new ArrayList<>();
        for (Map<String, Object> row : db.query("SELECT token_text, count(*) AS n FROM token_trace WHERE model_id = '" + MODEL
                + "' AND layer = " + layer + " AND " + match + " AND traced_at >= '" + from + "' AND traced_at < '" + to
                + "' GROUP BY token_text ORDER BY n DESC, token_text")) {
            counts.add(new TokenCount((String) row.get("token_text"), (Long) row.get("n")));
        }
        return counts;
    }

    private static Map<String, String> expertRows(List<ExpertUsage> rows) {
        Map<String, String> byKey = new HashMap<>();
        for (ExpertUsage u : rows) {
            byKey.put(u.bucketStart().getEpochSecond() + "/" + u.domain() + "/" + u.layer() + "/" + u.expert(),
                    u.firstChoice() + " " + u.anyChoice() + " " + u.routerProbabilitySum());
        }
        return byKey;
    }

    private static Map<String, String> layerRows(List<LayerUsage> rows) {
        Map<String, String> byKey = new HashMap<>();
        for (LayerUsage u : rows) {
            byKey.put(u.bucketStart().getEpochSecond() + "/" + u.domain() + "/" + u.layer(),
                    u.numExperts() + " " + u.steps() + " " + u.tokens() + " " + u.dropped() + " " + u.auxLossSum() + " " + u.zLossSum()
                            + " " + u.entropySum() + " " + u.consecutivePairs() + " " + u.sameFirstPairs() + " " + u.firstOrSecondPairs());
        }
        return byKey;
    }

    private Map<String, String> rawExpertRows(Instant from, Instant to, long bucket, boolean byDomain) {
        Map<String, String> byKey = new HashMap<>();
        for (Map<String, Object> row : db.query("SELECT " + bucketSql(from, bucket) + " AS b, " + (byDomain ? "domain" : "''")
                + " AS d, layer, expert, sum(first_choice)::bigint AS f, sum(any_choice)::bigint AS a, sum(router_prob_sum) AS p"
                + " FROM expert_window" + where(from, to) + " GROUP BY 1, 2, layer, expert")) {
            byKey.put(row.get("b") + "/" + row.get("d") + "/" + row.get("layer") + "/" + row.get("expert"),
                    row.get("f") + " " + row.get("a") + " " + row.get("p"));
        }
        return byKey;
    }

    private Map<String, String> rawLayerRows(Instant from, Instant to, long bucket, boolean byDomain) {
        Map<String, String> byKey = new HashMap<>();
        for (Map<String, Object> row : db.query("SELECT " + bucketSql(from, bucket) + " AS b, " + (byDomain ? "domain" : "''")
                + " AS d, layer, max(num_experts) AS n, sum(steps)::bigint AS s, sum(tokens)::bigint AS t, sum(dropped)::bigint AS x,"
                + " sum(aux_loss_sum) AS aux, sum(z_loss_sum) AS z, sum(entropy_sum) AS en, sum(consecutive_pairs)::bigint AS cp,"
                + " sum(same_first_pairs)::bigint AS sf, sum(first_or_second_pairs)::bigint AS fs"
                + " FROM layer_window" + where(from, to) + " GROUP BY 1, 2, layer")) {
            byKey.put(row.get("b") + "/" + row.get("d") + "/" + row.get("layer"),
                    row.get("n") + " " + row.get("s") + " " + row.get("t") + " " + row.get("x") + " " + row.get("aux") + " "
                            + row.get("z") + " " + row.get("en") + " " + row.get("cp") + " " + row.get("sf") + " " + row.get("fs"));
        }
        return byKey;
    }

    private static String bucketSql(Instant from, long bucket) {
        return bucket == RoutingStatsRepository.WHOLE_RANGE ? Long.toString(from.getEpochSecond())
                : "(floor(extract(epoch FROM window_start) / " + bucket + ") * " + bucket + ")::bigint";
    }

    private static String where(Instant from, Instant to) {
        return " WHERE model_id = '" + MODEL + "' AND window_start >= '" + from + "' AND window_start < '" + to + "'";
    }
}
