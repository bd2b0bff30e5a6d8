package dev.switchboard.app.experts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.serving.ExpertTableEditor;
import dev.switchboard.runtime.serving.LayerView;
import dev.switchboard.spi.Expert;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/admin/experts/contributed/{plugin}/{name}/calibrate} on the running app and its PostgreSQL: the
 * fitted router rows replace the contributed expert's rows and nothing else of the live model changes (every other
 * router row bit for bit, every expert object, every selection bias and flag), the rows are stored in the shared
 * expert configuration exactly as installed (what every replica applies), and bad requests answer 4xx in OpenAI's
 * error shape.
 */
class ContributedExpertRouterCalibrationTest extends ExpertAdminTestBase {

    private static final String CALIBRATE = "/api/admin/experts/contributed/" + ExamplePlugin.ID + "/example-relu/calibrate";
    private static final String TEXT = ("The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs. "
            + "Sphinx of black quartz, judge my vow. How vexingly quick daft zebras jump! ").repeat(12);

    @Test
    void onlyTheContributedExpertsRouterRowsChangeAndTheFleetConfigurationHoldsThem() throws Exception {
        addExampleExpert();
        ExpertTableEditor live = holder.current().orElseThrow().experts();
        int expert = live.checkpointExperts(); // the first contributed expert
        List<float[]> rowsBefore = gateRows(live);
        List<LayerView> tableBefore = live.table();

        JsonNode report = api.post(CALIBRATE, "{\"text\":\"" + TEXT + "\",\"steps\":5}", 200);

        List<float[]> rowsAfter = gateRows(live);
        List<LayerView> tableAfter = live.table();
        int hidden = live.hiddenSize();
        for (int l = 0; l < live.layers(); l++) {
            float[] was = rowsBefore.get(l);
            float[] is = rowsAfter.get(l);
            assertThat(is).as("layer " + l + " keeps its expert count").hasSameSizeAs(was);
            assertThat(row(is, expert, hidden)).as("layer " + l + ": the contributed expert's row was fitted")
                    .isNotEqualTo(row(was, expert, hidden));
            for (int e = 0; e < expert; e++) {
                assertThat(bits(row(is, e, hidden))).as("layer " + l + " row " + e).isEqualTo(bits(row(was, e, hidden)));
            }
            List<Expert> expertsBefore = tableBefore.get(l).experts();
            List<Expert> expertsAfter = tableAfter.get(l).experts();
            for (int e = 0; e < expertsBefore.size(); e++) {
                assertThat(expertsAfter.get(e)).as("layer " + l + " expert " + e + " is the same object").isSameAs(expertsBefore.get(e));
            }
            assertThat(tableAfter.get(l).selectionBias()).as("layer " + l + " biases").isEqualTo(tableBefore.get(l).selectionBias());
            assertThat(tableAfter.get(l).disabled()).as("layer " + l + " flags").isEqualTo(tableBefore.get(l).disabled());
        }

        assertThat(report.path("origin").asString()).isEqualTo(ExamplePlugin.ID + "/example-relu");
        assertThat(report.path("expert").asInt()).isEqualTo(expert);
        assertThat(report.path("steps").asInt()).isEqualTo(5);
        assertThat(report.path("otherSource").asString()).isEqualTo("built-in sample");
        for (String rows : List.of("heuristic", "calibrated")) {
            JsonNode result = report.path(rows);
            assertThat(result.path("calibration").path("share").asDouble()).as(rows + " share").isBetween(0.0, 1.0);
            double change = result.path("calibration").path("loss").asDouble()
                    - report.path("withoutExpert").path("calibration").path("loss").asDouble();
            assertThat(result.path("calibrationLossChange").asDouble()).as(rows + " loss change, in domain").isCloseTo(change,
                    org.assertj.core.data.Offset.offset(1e-9));
            assertThat(Double.isFinite(result.path("otherLossChange").asDouble())).as(rows + " loss change, out of domain").isTrue();
        }
        assertThat(report.path("calibrated").path("calibration").path("loss").asDouble())
                .as("the fit moved the rows from where it started (the heuristic's), so the measured loss moved too")
                .isNotEqualTo(report.path("heuristic").path("calibration").path("loss").asDouble());
        System.out.println("Calibration report on the test model: " + report);
        JsonNode tokens = report.path("tokens");
        assertThat(tokens.path("heldOut").asInt()).isGreaterThan(ContributedCalibration.WINDOW);
        assertThat(tokens.path("fit").asInt()).isGreaterThan(ContributedCalibration.WINDOW);

        JsonNode configuration = api.get("/api/admin/experts/configuration");
        assertThat(configuration.path("version").asLong()).isEqualTo(report.path("configurationVersion").asLong());
        JsonNode stored = configuration.path("configuration").path("contributed").path(0).path("gateRows");
        assertThat(stored.size()).as("a stored row per layer").isEqualTo(live.layers());
        for (int l = 0; l < live.layers(); l++) {
            float[] storedRow = new float[hidden];
            for (int c = 0; c < hidden; c++) {
                storedRow[c] = stored.path(l).path(c).floatValue();
            }
            assertThat(storedRow).as("layer " + l + ": the shared configuration holds the installed row")
                    .isEqualTo(row(rowsAfter.get(l), expert, hidden));
        }
    }

    @Test
    void badRequestsAreRefusedInOpenAisErrorShapeAndChangeNothing() throws Exception {
        addExampleExpert();
        ExpertTableEditor live = holder.current().orElseThrow().experts();
        List<float[]> rowsBefore = gateRows(live);

        assertError(api.post(CALIBRATE, "{}", 400), "text");
        assertError(api.post(CALIBRATE, "{\"text\":\"too short\"}", 400), "text");
        assertError(api.post(CALIBRATE, "{\"text\":\"" + TEXT + "\",\"steps\":0}", 400), "steps");
        assertError(api.post(CALIBRATE, "{\"text\":\"" + TEXT + "\",\"learningRate\":-1}", 400), "learningRate");
        assertError(api.post(CALIBRATE, "{\"text\":\"" + "x".repeat(CalibrationRequest.MAX_CHARS + 1) + "\"}", 400), "text");
        assertError(api.post("/api/admin/experts/contributed/" + ExamplePlugin.ID + "/nobody/calibrate",
                "{\"text\":\"" + TEXT + "\"}", 404), "name");

        List<float[]> rowsAfter = gateRows(live);
        for (int l = 0; l < live.layers(); l++) {
            assertThat(bits(rowsAfter.get(l))).as("layer " + l + " router rows").isEqualTo(bits(rowsBefore.get(l)));
        }
    }

    private void addExampleExpert() throws Exception {
        api.install(ExamplePlugin.jar(Files.createTempDirectory("example").resolve("example.jar")), ExamplePlugin.ID);
        api.post("/api/admin/experts/contributed",
                "{\"plugin\":\"" + ExamplePlugin.ID + "\",\"name\":\"example-relu\",\"selectionBias\":0}", 200);
    }

    private static void assertError(JsonNode body, String param) {
        JsonNode error = body.path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asString()).isEqualTo(param);
        assertThat(error.path("message").asString()).isNotBlank();
    }

    private static List<float[]> gateRows(ExpertTableEditor live) {
        List<float[]> rows = new ArrayList<>();
        for (int l = 0; l < live.layers(); l++) {
            rows.add(live.gateRows(l));
        }
        return rows;
    }

    private static float[] row(float[] gate, int row, int hidden) {
        return Arrays.copyOfRange(gate, row * hidden, (row + 1) * hidden);
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
