package dev.switchboard.app.routingstats;

import static dev.switchboard.app.routingstats.Steps.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.routingstats.RoutingStatsRepository.BoundRead;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a chart's read costs PostgreSQL follows the buckets it answers, not the windows, domains or instances
 * underneath: for a range of whole minutes, 5 minutes or hours, the rows the statement takes from its tables (as
 * {@code EXPLAIN ANALYZE} counts them at the scans) are one per layer and expert (or layer) and grain of the coarsest
 * aggregate that divides the bucket (for 10 s buckets, the window totals), plus the ragged ends. Two instances writing
 * four domains each make any read of domain-level rows or raw windows eight times larger.
 */
class ChartReadCostTest {

    private static final String MODEL = "chart-cost-model";
    private static final String[] DOMAINS = {"code", "prose", "math", "chat"};
    private static final int LAYERS = 2;
    private static final int EXPERTS = 4;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final TestDatabase db = TestDatabase.shared();

    @BeforeEach
    void cleanDatabase() {
        db.truncateStatistics();
    }

    @Test
    void aChartReadsAboutOneRowPerBucketLayerAndExpert() {
        List<StatsHarness> instances = List.of(new StatsHarness(db), new StatsHarness(db));
        for (int w = 0; w < 6 * 61; w++) { // an hour and a minute of 10 s windows
            for (StatsHarness instance : instances) {
                for (int d = 0; d < DOMAINS.length; d++) {
                    int e = (w + d) % EXPERTS;
                    instance.recorder.recordStep(MODEL, DOMAINS[d], List.of(step(0, EXPERTS, new int[][] {{e, (e + 1) % EXPERTS}}, 0),
                            step(1, EXPERTS, new int[][] {{(e + 2) % EXPERTS, e}}, 0)));
                }
                assertThat(instance.nextWindow()).isTrue();
            }
        }
        DatabaseClient client = DatabaseClient.create(db.connectionFactory());
        Instant from = StatsHarness.T0;
        Instant to = StatsHarness.T0.plus(Duration.ofHours(1));

        // bucket size -> the coarsest aggregate grain dividing it (10 s: the window totals, one row per window)
        long[][] bucketAndGrain = {{10, 10}, {20, 10}, {60, 60}, {120, 60}, {300, 300}, {900, 300}, {3600, 3600}};
        for (long[] bg : bucketAndGrain) {
            long grains = Duration.between(from, to).toSeconds() / bg[1];
            assertThat(rowsScanned(client, RoutingStatsRepository.expertsRead(MODEL, from, to, bg[0], false)))
                    .as("expert rows scanned for buckets of %d s", bg[0])
                    .isLessThanOrEqualTo(grains * LAYERS * EXPERTS);
            assertThat(rowsScanned(client, RoutingStatsRepository.layersRead(MODEL, from, to, bg[0], false)))
                    .as("layer rows scanned for buckets of %d s", bg[0])
                    .isLessThanOrEqualTo(grains * LAYERS);
        }
        // off the grid: the ragged ends come from the window totals (three at each end), the rest from minutes and 5 minutes
        Instant ragged = from.plusSeconds(30);
        long rawEnds = 2 * 3 * LAYERS * EXPERTS;
        assertThat(rowsScanned(client, RoutingStatsRepository.expertsRead(MODEL, ragged, to.plusSeconds(30), 300, false)))
                .isLessThanOrEqualTo((4 + 11) * LAYERS * EXPERTS + rawEnds);
    }

    /** The rows the statement's scans return, summed over its plan. */
    private static long rowsScanned(DatabaseClient client, BoundRead read) {
        String plan = read.on(client, "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + read.sql())
                .map(row -> row.get(0, String.class)).one().block(Duration.ofSeconds(30));
        return scanned(JSON.readTree(plan).get(0).get("Plan"));
    }

    private static long scanned(JsonNode node) {
        long rows = node.get("Node Type").asString().endsWith("Scan") && !node.get("Node Type").asString().equals("Subquery Scan")
                && !node.get("Node Type").asString().startsWith("Bitmap Index")
                ? node.get("Actual Rows").asLong() * node.get("Actual Loops").asLong() : 0;
        JsonNode children = node.get("Plans");
        if (children != null) {
            for (JsonNode child : children) {
                rows += scanned(child);
            }
        }
        return rows;
    }
}
