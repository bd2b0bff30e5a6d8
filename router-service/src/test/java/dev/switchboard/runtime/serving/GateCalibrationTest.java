package dev.switchboard.runtime.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.MixtralTensorLayout;
import dev.switchboard.runtime.model.ExpertKinds;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertSpec;
import dev.switchboard.spi.ExpertWeights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Calibrating an expert added while serving works on a private copy: the live model's router rows, experts, flags and
 * biases stay as they were, bit for bit, while the answer holds rows that moved from where the fit started; with
 * the expert masked it takes no place, and a setup that does not fit the live table is refused.
 */
class GateCalibrationTest {

    private static final Path TINY = Path.of("src/test/resources/fixtures/tiny-gqa-top2");

    @Test
    void fitsOnAPrivateCopyAndLeavesTheLiveModelAsItWas() {
        ExpertKind swiglu = ExpertKinds.fromClassPath().find("swiglu").orElseThrow();
        try (ModelRuntime runtime = ModelRuntime.load(TINY); Checkpoint checkpoint = Checkpoint.open(TINY)) {
            ExpertTableEditor live = runtime.experts();
            int added = live.checkpointExperts();
            float[][] start = new float[live.layers()][];
            SplittableRandom random = new SplittableRandom(3);
            for (int l = 0; l < start.length; l++) {
                start[l] = new float[live.hiddenSize()];
                for (int c = 0; c < start[l].length; c++) {
                    start[l][c] = (float) (random.nextGaussian() * 0.1);
                }
            }
            live.apply(table -> {
                for (int l = 0; l < table.layers(); l++) {
                    table.add(l, copy(swiglu, checkpoint, l, live.expertSpec(Map.of())), start[l], 0f);
                }
            });
            List<float[]> rowsBefore = gates(live);
            List<LayerView> tableBefore = live.table();

            GateCalibration.Result result = live.calibrate(new GateCalibration.Setup(added,
                    List.of((layer, spec) -> copy(swiglu, checkpoint, layer, spec)), start, tokens(400, 5), tokens(100, 6),
                    tokens(100, 7), new GateCalibration.Settings(4, 0.05f, 4, 16, 4, 11)));

            List<float[]> rowsAfter = gates(live);
            for (int l = 0; l < live.layers(); l++) {
                assertThat(bits(rowsAfter.get(l))).as("live router of layer %d", l).isEqualTo(bits(rowsBefore.get(l)));
                assertThat(live.table().get(l).experts()).as("live experts of layer %d", l)
                        .containsExactlyElementsOf(tableBefore.get(l).experts());
                assertThat(result.rows()[l]).as("fitted row of layer %d", l).hasSize(live.hiddenSize()).isNotEqualTo(start[l]);
            }
            assertThat(result.without().calibration().share()).as("the masked expert's share").isZero();
            assertThat(result.start().calibration().share()).isBetween(0.0, 1.0);
            assertThat(result.steps()).isEqualTo(4);

            assertThatThrownBy(() -> live.calibrate(new GateCalibration.Setup(0, List.of((layer, spec) -> copy(swiglu,
                    checkpoint, layer, spec)), start, tokens(400, 5), tokens(100, 6), tokens(100, 7),
                    new GateCalibration.Settings(1, 0.05f, 4, 16, 4, 11))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was not added while serving");
        }
    }

    /** Checkpoint expert 0 of {@code layer}, built again. */
    private static Expert copy(ExpertKind kind, Checkpoint checkpoint, int layer, ExpertSpec spec) {
        try (NDManager scratch = NDManager.newBaseManager(spec.device())) {
            return kind.create(spec, new ExpertWeights() {
                @Override
                public Set<String> names() {
                    return Set.of("w1", "w2", "w3");
                }

                @Override
                public NDArray get(String name) {
                    String tensor = switch (name) {
                        case "w1" -> MixtralTensorLayout.expertW1(layer, 0);
                        case "w2" -> MixtralTensorLayout.expertW2(layer, 0);
                        default -> MixtralTensorLayout.expertW3(layer, 0);
                    };
                    return checkpoint.load(tensor, scratch, spec.dataType());
                }
            });
        }
    }

    private static int[] tokens(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = 3 + (i % 7 == 0 ? random.nextInt(200) : (i * 13) % 50); // a pattern with some noise
        }
        return ids;
    }

    private static List<float[]> gates(ExpertTableEditor live) {
        List<float[]> gates = new ArrayList<>();
        for (int l = 0; l < live.layers(); l++) {
            gates.add(live.gateRows(l));
        }
        return gates;
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
