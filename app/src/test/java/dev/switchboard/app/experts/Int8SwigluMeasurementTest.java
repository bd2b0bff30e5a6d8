package dev.switchboard.app.experts;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.model.ExpertKindResolver;
import dev.switchboard.runtime.model.ExpertKinds;
import dev.switchboard.app.model.GreedyDecoding;
import dev.switchboard.runtime.model.ForwardOptions;
import dev.switchboard.runtime.model.LayerExperts;
import dev.switchboard.runtime.model.ModelOptions;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.model.StepInput;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertSpec;
import dev.switchboard.spi.ExpertWeights;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The numbers of docs/PERFORMANCE.md, "int8-swiglu": the whole tiny test model run with its experts built
 * as {@code swiglu} and as {@code int8-swiglu} from the same checkpoint weights (logit error, greedy
 * agreement, expert memory), and one Mixtral-shaped expert timed in both kinds.
 */
class Int8SwigluMeasurementTest {

    private static final Path TINY = Path.of("../router-service/src/test/resources/fixtures/tiny-gqa-top2");
    private static final int[] PROMPT = {1, 5, 9, 300, 42, 7};
    // int8 rounding moves each weight by at most 1/254 of its row's largest magnitude; with rows of only 64
    // and 128 weights, through two layers, the worst logit moved by 1.7e-2 when measured (logits ~±2).
    private static final double MAX_LOGIT_ERROR = 5e-2;

    @Test
    void int8ExpertsKeepTheTinyModelsLogitsAndQuarterItsExpertMemory() {
        ExpertKinds builtIns = ExpertKinds.fromClassPath();
        ExpertKind int8 = builtIns.find("int8-swiglu").orElseThrow();
        ExpertKindResolver int8ForSwiglu = new ExpertKindResolver() {
            @Override
            public Optional<ExpertKind> find(String name) {
                return name.equals("swiglu") ? Optional.of(int8) : builtIns.find(name);
            }

            @Override
            public Collection<String> knownNames() {
                return builtIns.knownNames();
            }
        };
        try (Checkpoint checkpoint = Checkpoint.open(TINY);
                MoeModel reference = MoeModel.load(checkpoint, ModelOptions.defaults());
                MoeModel quantised = MoeModel.load(checkpoint, ModelOptions.defaults().withExpertKinds(int8ForSwiglu))) {
            float[] expected = lastLogits(reference);
            float[] actual = lastLogits(quantised);

            double maxError = 0;
            for (int v = 0; v < expected.length; v++) {
                maxError = Math.max(maxError, Math.abs(expected[v] - actual[v]));
            }
            long referenceBytes = expertBytes(reference);
            long quantisedBytes = expertBytes(quantised);
            System.err.printf("int8-swiglu on %s: max |logit error| %.2e, argmax %d vs %d, expert memory %d -> %d bytes (%.3f)%n",
                    TINY.getFileName(), maxError, GreedyDecoding.argmax(expected), GreedyDecoding.argmax(actual), referenceBytes, quantisedBytes,
                    quantisedBytes / (double) referenceBytes);

            assertThat(maxError).isLessThan(MAX_LOGIT_ERROR).isGreaterThan(0);
            assertThat(GreedyDecoding.argmax(actual)).isEqualTo(GreedyDecoding.argmax(expected));
            assertThat(quantisedBytes).isLessThan(referenceBytes * 27 / 100);
        }
    }

    @Test
    void timeOneMixtralShapedExpertInBothKinds() {
        int dModel = 1024;
        int dFf = 3584;
        ExpertKinds builtIns = ExpertKinds.fromClassPath();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> w = Map.of(
                    "w1", manager.randomNormal(0, 0.02f, new Shape(dFf, dModel), DataType.FLOAT32),
                    "w2", manager.randomNormal(0, 0.02f, new Shape(dModel, dFf), DataType.FLOAT32),
                    "w3", manager.randomNormal(0, 0.02f, new Shape(dFf, dModel), DataType.FLOAT32));
            ExpertWeights weights = new ExpertWeights() {
                @Override
                public Set<String> names() {
                    return w.keySet();
                }

                @Override
                public NDArray get(String name) {
                    return w.get(name);
                }
            };
            ExpertSpec spec = new ExpertSpec(dModel, dFf, DataType.FLOAT32, Device.cpu(), Map.of());
            for (String kind : List.of("swiglu", "int8-swiglu")) {
                try (Expert expert = builtIns.find(kind).orElseThrow().create(spec, weights)) {
                    for (int tokens : new int[] {1, 32}) {
                        double ms = millisPerForward(expert, manager, tokens, dModel);
                        System.err.printf("%s d_model %d d_ff %d: %d token(s) %.2f ms/forward, %d bytes%n",
                                kind, dModel, dFf, tokens, ms, expert.memoryBytes());
                        assertThat(ms).isPositive();
                    }
                }
            }
        }
    }

    private static double millisPerForward(Expert expert, NDManager manager, int tokens, int dModel) {
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.randomNormal(new Shape(tokens, dModel));
            for (int i = 0; i < 5; i++) {
                expert.forward(x).close();
            }
            int runs = 30;
            long start = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                expert.forward(x).close();
            }
            return (System.nanoTime() - start) / 1e6 / runs;
        }
    }

    private static float[] lastLogits(MoeModel model) {
        return model.forward(List.of(new StepInput(model.newSequence(), PROMPT)), ForwardOptions.DEFAULT).lastLogits(0);
    }

    private static long expertBytes(MoeModel model) {
        return model.experts().layers().stream().map(LayerExperts::experts).flatMap(List::stream)
                .mapToLong(Expert::memoryBytes).sum();
    }
}
