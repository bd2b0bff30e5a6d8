package dev.switchboard.runtime.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.checkpoint.MixtralTensorLayout;
import dev.switchboard.runtime.routing.RoutingDecision;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Calibrating an expert's routers changes those rows and nothing else, bit for bit, and lowers the loss on the text
 * it was calibrated on. The model first learns two patterns; then the expert the first pattern used most arrives
 * with router rows of zeros, the other experts are silenced, and it is calibrated on that pattern's text.
 */
class RouterCalibrationTest {

    private static final MixtralConfig CONFIG = new MixtralConfig(MixtralConfig.MIXTRAL, 32, 64, 2, 4, 2, 8, 4, 2, 1e-5,
            10000, 256, 48, false, 1, 2, true, "topk", 1.25, "swiglu");

    @Test
    void onlyTheExpertsRouterRowsChangeAndItsShareOnTheCalibrationTextGrows() {
        TokenWindows pattern = windows("pattern", 3, 7, 20);
        TokenWindows other = windows("other", 23, 3, 20);
        TokenWindows both = new TokenWindows(List.of(new TokenWindows.Domain("pattern", stream(3, 7, 20), 1),
                new TokenWindows.Domain("other", stream(23, 3, 20), 1)), 16);
        Map<String, TokenWindows.Batch> measured = new LinkedHashMap<>();
        measured.put("pattern", pattern.sample(8, new SplittableRandom(5)));
        measured.put("other", other.sample(8, new SplittableRandom(6)));
        TrainingOptions options = new TrainingOptions(60, 8, 16, 1e-2f, 5, 0f, 0.01f, 0.001f, 7);
        try (NDManager manager = NDManager.newBaseManager();
                TrainableMixtral model = TrainableMixtral.initialise(CONFIG, options.seed(), options.window(), manager)) {
            new Trainer(options, new Trainer.Listener() {
                @Override
                public void onStep(Trainer.StepReport report) {}

                @Override
                public void onEvaluation(Trainer.Evaluation evaluation) {}

                @Override
                public void onSkippedStep(int step, String reason) {}
            }, 60, 60).train(model, both, List.of(measured.get("pattern")));
            // The contributed expert: the one the pattern used most arrives with router rows of zeros (it knows
            // nothing about where it belongs) and is the only expert whose output is not zero, so the pattern's
            // tokens are served well only if routed to it.
            int[][] places = placesOn(model, measured.get("pattern"));
            int expert = mostUsed(places);
            int hidden = CONFIG.hiddenSize();
            for (int l = 0; l < CONFIG.numHiddenLayers(); l++) {
                for (int e = 0; e < CONFIG.numLocalExperts(); e++) {
                    if (e != expert) {
                        model.parameters().get("model.layers." + l + ".block_sparse_moe.experts." + e + ".w2.weight")
                                .set(new NDIndex("..."), 0); // in place, never set(Buffer) (CONTRIBUTING)
                    }
                }
                model.parameters().get(MixtralTensorLayout.gate(l)).set(new NDIndex(expert), 0);
            }
            Map<String, float[]> before = snapshot(model);

            RouterCalibration.Result result = RouterCalibration.calibrate(model, expert, pattern, measured,
                    new RouterCalibration.Options(20, 0.05f, 8, 11));

            Map<String, float[]> after = snapshot(model);
            for (String name : before.keySet()) {
                float[] was = before.get(name);
                float[] is = after.get(name);
                if (name.endsWith("block_sparse_moe.gate.weight")) {
                    assertThat(Arrays.copyOfRange(is, expert * hidden, (expert + 1) * hidden)).as(name + " row " + expert)
                            .isNotEqualTo(Arrays.copyOfRange(was, expert * hidden, (expert + 1) * hidden));
                    was = withoutRow(was, expert, hidden);
                    is = withoutRow(is, expert, hidden);
                }
                assertThat(bits(is)).as(name).isEqualTo(bits(was)); // bit for bit: -0.0 and NaN payloads too
            }
            RouterCalibration.DomainChange calibrated = result.domains().get(0);
            assertThat(calibrated.domain()).isEqualTo("pattern");
            assertThat(calibrated.after().share()).isNotEqualTo(calibrated.before().share()); // the routing moved
            // The fit lowers the calibration text's loss (the objective); traffic follows only where that helps, and on
            // this model, which predicts the pattern by attention alone, it did not (the share fell from 0.33 to 0.14).
            assertThat(calibrated.after().crossEntropy()).isLessThan(calibrated.before().crossEntropy());
        }
    }

    private static float[] withoutRow(float[] rows, int row, int width) {
        float[] copy = rows.clone();
        Arrays.fill(copy, row * width, (row + 1) * width, 0f);
        return copy;
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    /** Per layer, how many top-k places each expert takes on {@code batch}. */
    private static int[][] placesOn(TrainableMixtral model, TokenWindows.Batch batch) {
        int[][] places = new int[CONFIG.numHiddenLayers()][CONFIG.numLocalExperts()];
        try (NDManager step = model.parameters().values().iterator().next().getManager().newSubManager()) {
            List<RoutingDecision> layers = model.loss(step, batch.inputs(), batch.targets(), 0f, 0f).decisions();
            for (int l = 0; l < layers.size(); l++) {
                for (int e : layers.get(l).experts()) {
                    places[l][e]++;
                }
            }
        }
        return places;
    }

    private static int mostUsed(int[][] places) {
        int best = 0;
        long most = -1;
        for (int e = 0; e < CONFIG.numLocalExperts(); e++) {
            long total = 0;
            for (int[] layer : places) {
                total += layer[e];
            }
            if (total > most) {
                most = total;
                best = e;
            }
        }
        return best;
    }

    private static Map<String, float[]> snapshot(TrainableMixtral model) {
        Map<String, float[]> values = new LinkedHashMap<>();
        model.parameters().forEach((name, value) -> values.put(name, value.toFloatArray()));
        return values;
    }

    private static TokenWindows windows(String name, int first, int step, int size) {
        return new TokenWindows(List.of(new TokenWindows.Domain(name, stream(first, step, size), 1)), 16);
    }

    /** A deterministic pattern over {@code size} tokens from {@code first}: each token determines the next. */
    private static int[] stream(int first, int step, int size) {
        int[] tokens = new int[3000];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = first + (i * step) % size;
        }
        return tokens;
    }
}
