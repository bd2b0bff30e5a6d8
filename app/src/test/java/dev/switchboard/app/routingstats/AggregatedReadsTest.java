package dev.switchboard.app.routingstats;

import static dev.switchboard.app.routingstats.Steps.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.routingstats.RoutingStatsRepository.ExpertUsage;
import dev.switchboard.app.routingstats.RoutingStatsRepository.LayerUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The read path answers from the 5-minute and hourly aggregates where it can ({@link ReadLevels}); its
 * answers must equal sums over the raw windows, for ranges that start and end off the grid and for every
 * kind of bucket. The reference is computed here from {@code expert_window} and {@code layer_window} alone.
 */
class AggregatedReadsTest {

    private static final String MODEL = "aggregates-model";
    private final TestDatabase db = TestDatabase.shared();

    @BeforeEach
    void cleanDatabase() {
        db.truncateStatistics();
    }

    @Test
    void everyBucketSizeGivesTheRawWindowsTotals() {
        StatsHarness stats = new StatsHarness(db);
        // 2.5 hours of 10 s windows, a step in every 7th, alternating domains and routings.
        for (int w = 0; w < 900; w++) {
            if (w % 7 == 0) {
                int e = w % 4;
                stats.recorder.recordStep(MODEL, w % 2 == 0 ? "code" : "prose",
                        List.of(step(0, 4, new int[][] {{e, (e + 1) % 4}, {(e + 2) % 4, e}}, w % 3), step(1, 4, new int[][] {{e, (e + 3) % 4}}, 0)));
            }
            assertThat(stats.nextWindow()).isTrue();
        }
        RoutingStatsRepository repository = new RoutingStatsRepository(DatabaseClient.create(db.connectionFactory()));
        Instant from = StatsHarness.T0.plus(Duration.ofMinutes(7).plusSeconds(13));
        Instant to = StatsHarness.T0.plus(Duration.ofHours(2).plusMinutes(31).plusSeconds(40));

        for (long bucket : new long[] {10, 60, 120, 300, 900, 3600, 7200, RoutingStatsRepository.WHOLE_RANGE}) {
            for (boolean byDomain : new boolean[] {false, true}) {
                List<ExpertUsage> experts = repository.experts(MODEL, from, to, bucket, byDomain).collectList().block(Duration.ofSeconds(30));
                List<LayerUsage> layers = repository.layers(MODEL, from, to, bucket, byDomain).collectList().block(Duration.ofSeconds(30));

                assertThat(expertTotals(experts)).as("experts, bucket %d s, by domain %s", bucket, byDomain)
                        .isEqualTo(rawExpertTotals(from, to, bucket, byDomain));
                assertThat(layerTotals(layers)).as("layers, bucket %d s, by domain %s", bucket, byDomain)
                        .isEqualTo(rawLayerTotals(from, to, bucket, byDomain));
            }
        }
    }

    private static Map<String, Long> expertTotals(List<ExpertUsage> rows) {
        Map<String, Long> totals = new HashMap<>();
        for (ExpertUsage u : rows) {
            totals.put(u.bucketStart().getEpochSecond() + "/" + u.domain() + "/" + u.layer() + "/" + u.expert() + "/any", u.anyChoice());
            totals.put(u.bucketStart().getEpochSecond() + "/" + u.domain() + "/" + u.layer() + "/" + u.expert() + "/first", u.firstChoice());
        }
        return totals;
    }

    private static Map<String, Long> layerTotals(List<LayerUsage> rows) {
        Map<String, Long> totals = new HashMap<>();
        for (LayerUsage u : rows) {
            totals.put(u.bucketStart().getEpochSecond() + "/" + u.domain() + "/" + u.layer() + "/tokens", u.tokens());
            totals.put(u.bucketStart().getEpochSecond() + "/" + u.domain() + "/" + u.layer() + "/dropped", u.dropped());
        }
        return totals;
    }

    private Map<String, Long> rawExpertTotals(Instant from, Instant to, long bucket, boolean byDomain) {
        Map<String, Long> totals = new HashMap<>();
        for (Map<String, Object> row : db.query("SELECT " + bucketSql(from, bucket) + " AS b, " + (byDomain ? "domain" : "''")
                + " AS d, layer, expert, sum(any_choice)::bigint AS a, sum(first_choice)::bigint AS f FROM expert_window"
                + where(from, to) + " GROUP BY 1, 2, layer, expert")) {
            String key = row.get("b") + "/" + row.get("d") + "/" + row.get("layer") + "/" + row.get("expert");
            totals.put(key + "/any", (Long) row.get("a"));
            totals.put(key + "/first", (Long) row.get("f"));
        }
        return totals;
    }

    private Map<String, Long> rawLayerTotals(Instant from, Instant to, long bucket, boolean byDomain) {
        Map<String, Long> totals = new HashMap<>();
        for (Map<String, Object> row : db.query("SELECT " + bucketSql(from, bucket) + " AS b, " + (byDomain ? "domain" : "''")
                + " AS d, layer, sum(tokens)::bigint AS t, sum(dropped)::bigint AS x FROM layer_window"
                + where(from, to) + " GROUP BY 1, 2, layer")) {
            String key = row.get("b") + "/" + row.get("d") + "/" + row.get("layer");
            totals.put(key + "/tokens", (Long) row.get("t"));
            totals.put(key + "/dropped", (Long) row.get("x"));
        }
        return totals;
    }

    private static String bucketSql(Instant from, long bucket) {
        return bucket == RoutingStatsRepository.WHOLE_RANGE ? Long.toString(from.getEpochSecond())
                : "(floor(extract(epoch FROM window_start) / " + bucket + ") * " + bucket + ")::bigint";
    }

    private static String where(Instant from, Instant to) {
        return " WHERE model_id = '" + MODEL + "' AND window_start >= '" + from + "' AND window_start < '" + to + "'";
    }
}
