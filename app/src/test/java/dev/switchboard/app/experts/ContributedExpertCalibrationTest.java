package dev.switchboard.app.experts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A contributed expert whose router rows come from calibration text, added with selection bias 0: the routing
 * trace reports the grown expert count, and the untrained row no longer wins most top-k places on its own (the
 * selection bias is what gives it traffic), on the calibration text itself and on other text. Measured on the
 * test model (random router, top-2 of 4): 70 % of the places before the calibration kept the row below the
 * k-th logit, 31 % after; that rest is the floor for any row that points at the calibration tokens, the places
 * whose k-th logit is negative (5/16 of them for four random logits), see {@link CalibratedRow}.
 */
class ContributedExpertCalibrationTest extends ExpertAdminTestBase {

    /** The example plugin's calibration lines (the tokens its row points at) and unrelated prompts. */
    private static final List<String> TEXTS = List.of(
            "The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs.",
            "Sphinx of black quartz, judge my vow. How vexingly quick daft zebras jump!",
            "Hello there, how are you",
            "Once upon a time a small robot learned to count to ten",
            "public static void main(String[] args) { return; }",
            "What is twelve plus seven? Nineteen.");

    /** Share of (token, layer) places where the new expert is in the top-k: it must stay well under half. */
    private static final double MOST = 0.4;

    @Test
    void anUntrainedCalibratedExpertDoesNotWinMostTopKPlacesAtBiasZero() throws Exception {
        api.install(ExamplePlugin.jar(Files.createTempDirectory("example").resolve("example.jar")), ExamplePlugin.ID);
        api.post("/api/admin/experts/contributed",
                "{\"plugin\":\"" + ExamplePlugin.ID + "\",\"name\":\"example-relu\",\"selectionBias\":0}", 200);

        int places = 0;
        int won = 0;
        for (String text : TEXTS) {
            JsonNode route = api.route(text);
            assertThat(route.path("experts").asInt()).as("the expert count routed over, contributed one included").isEqualTo(5);
            for (int layer = 0; layer < route.path("layers").asInt(); layer++) {
                for (List<Integer> chosen : ExpertAdminClient.chosen(route, layer)) {
                    places++;
                    won += chosen.contains(4) ? 1 : 0;
                }
            }
        }
        double winRate = (double) won / places;
        System.out.printf("Contributed expert at bias 0 won %d of %d top-k places (%.1f %%)%n", won, places, 100 * winRate);
        assertThat(winRate).as("share of top-k places won by the untrained row").isLessThan(MOST);
    }
}
