package dev.switchboard.experts.swiglu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertProvider;
import dev.switchboard.spi.ExpertSpec;
import dev.switchboard.spi.ExpertWeights;
import dev.switchboard.spi.SpiVersion;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The swiglu expert against a plain-Java evaluation of w2(silu(w1·x) ⊙ w3·x). */
class SwiGluExpertTest {

    private static final int D_MODEL = 6;
    private static final int D_FF = 10;
    private static final ExpertSpec SPEC = new ExpertSpec(D_MODEL, D_FF, DataType.FLOAT32, Device.cpu(), Map.of());

    @Test
    void forwardMatchesTheSwiGluEquation() {
        Random random = new Random(7);
        float[][] w1 = randomMatrix(random, D_FF, D_MODEL);
        float[][] w3 = randomMatrix(random, D_FF, D_MODEL);
        float[][] w2 = randomMatrix(random, D_MODEL, D_FF);
        float[][] x = randomMatrix(random, 3, D_MODEL);
        try (NDManager manager = NDManager.newBaseManager();
                Expert expert = create(manager, w1, w3, w2)) {
            NDManager step = manager.newSubManager();
            NDArray out = expert.forward(step.create(flatten(x), new Shape(3, D_MODEL)));
            assertThat(out.getShape()).isEqualTo(new Shape(3, D_MODEL));
            assertThat(out.getManager()).as("output lives in the caller's manager").isSameAs(step);
            float[] actual = out.toFloatArray();
            for (int t = 0; t < 3; t++) {
                float[] expected = reference(w1, w3, w2, x[t]);
                for (int i = 0; i < D_MODEL; i++) {
                    assertThat(actual[t * D_MODEL + i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
            step.close();
        }
    }

    @Test
    void theKernelForFewTokensAndPyTorchForManyComputeTheSame() {
        Random random = new Random(11);
        int dModel = 64;
        int dFf = 96;
        float[][] w1 = randomMatrix(random, dFf, dModel);
        float[][] w3 = randomMatrix(random, dFf, dModel);
        float[][] w2 = randomMatrix(random, dModel, dFf);
        int tokens = SwiGluExpert.KERNEL_MAX_TOKENS + 4;
        float[][] x = randomMatrix(random, tokens, dModel);
        ExpertSpec spec = new ExpertSpec(dModel, dFf, DataType.FLOAT32, Device.cpu(), Map.of());
        try (NDManager manager = NDManager.newBaseManager();
                SwiGluExpert expert = (SwiGluExpert) new SwiGluKind().create(spec, weights(Map.of(
                        "w1", matrix(manager, w1), "w3", matrix(manager, w3), "w2", matrix(manager, w2))))) {
            assertThat(expert.usesKernel()).as("surefire starts the JVM with jdk.incubator.vector").isTrue();
            float[] together = expert.forward(manager.create(flatten(x), new Shape(tokens, dModel))).toFloatArray(); // PyTorch
            for (int t = 0; t < tokens; t++) {
                float[] alone = expert.forward(manager.create(x[t], new Shape(1, dModel))).toFloatArray(); // kernel
                float[] expected = reference(w1, w3, w2, x[t]);
                float scale = 0;
                for (float e : expected) {
                    scale = Math.max(scale, Math.abs(e));
                }
                // float32 sums of 96 products that cancel: rounding relative to the largest output, not to each one
                org.assertj.core.data.Offset<Float> tolerance = org.assertj.core.data.Offset.offset(2e-5f * scale);
                for (int i = 0; i < dModel; i++) {
                    assertThat(alone[i]).as("kernel, token %d, output %d", t, i).isCloseTo(expected[i], tolerance);
                    assertThat(together[t * dModel + i]).as("PyTorch, token %d, output %d", t, i).isCloseTo(expected[i], tolerance);
                }
            }
        }
    }

    @Test
    void keepsItsOwnCopyOfTheWeightsAndCloseFreesIt() {
        Random random = new Random(1);
        float[][] w1 = randomMatrix(random, D_FF, D_MODEL);
        float[][] w3 = randomMatrix(random, D_FF, D_MODEL);
        float[][] w2 = randomMatrix(random, D_MODEL, D_FF);
        float[][] x = randomMatrix(random, 1, D_MODEL);
        try (NDManager manager = NDManager.newBaseManager()) {
            SwiGluExpert expert;
            try (NDManager weightsManager = manager.newSubManager()) {
                expert = (SwiGluExpert) create(weightsManager, w1, w3, w2);
            } // the caller frees the checkpoint tensors right after create()
            float[] out = expert.forward(manager.create(x[0], new Shape(1, D_MODEL))).toFloatArray();
            assertThat(out[0]).isCloseTo(reference(w1, w3, w2, x[0])[0], org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(expert.parameterCount()).isEqualTo(3L * D_MODEL * D_FF);
            assertThat(expert.memoryBytes()).isEqualTo(4L * 3 * D_MODEL * D_FF);
            expert.close();
            expert.close(); // idempotent
            assertThat(expert.isClosed()).isTrue();
        }
    }

    @Test
    void rejectsWrongShapesNamingWeightExpectedAndActual() {
        Random random = new Random(2);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[][] wrong = randomMatrix(random, D_MODEL, D_FF); // transposed w1
            assertThatThrownBy(() -> create(manager, wrong, randomMatrix(random, D_FF, D_MODEL), randomMatrix(random, D_MODEL, D_FF)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'w1'")
                    .hasMessageContaining("(10, 6)")
                    .hasMessageContaining("got (6, 10)");
            ExpertWeights missing = weights(Map.of("w1", manager.zeros(new Shape(D_FF, D_MODEL))));
            assertThatThrownBy(() -> new SwiGluKind().create(SPEC, missing))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'w3'");
        }
    }

    @Test
    void providerIsFoundByServiceLoaderAndDescribesItself() {
        List<ExpertProvider> providers = ServiceLoader.load(ExpertProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p instanceof SwiGluProvider)
                .toList();
        assertThat(providers).hasSize(1);
        ExpertProvider provider = providers.get(0);
        assertThat(provider.descriptor().label()).isEqualTo("swiglu@0.1.0");
        assertThat(SpiVersion.incompatibility(provider.descriptor().requiresSpi())).isNull();
        assertThat(provider.kinds()).extracting(ExpertKind::name).containsExactly("swiglu");
        assertThat(provider.kinds().get(0).weightNames()).isEqualTo(Set.of("w1", "w2", "w3"));
    }

    private static Expert create(NDManager manager, float[][] w1, float[][] w3, float[][] w2) {
        return new SwiGluKind().create(SPEC, weights(Map.of(
                "w1", matrix(manager, w1), "w3", matrix(manager, w3), "w2", matrix(manager, w2))));
    }

    private static ExpertWeights weights(Map<String, NDArray> byName) {
        return new ExpertWeights() {
            @Override
            public Set<String> names() {
                return byName.keySet();
            }

            @Override
            public NDArray get(String name) {
                NDArray w = byName.get(name);
                if (w == null) {
                    throw new IllegalArgumentException("no weight " + name);
                }
                return w;
            }
        };
    }

    private static float[] reference(float[][] w1, float[][] w3, float[][] w2, float[] x) {
        float[] hidden = new float[w1.length];
        for (int f = 0; f < w1.length; f++) {
            double a = dot(w1[f], x);
            double b = dot(w3[f], x);
            hidden[f] = (float) (a / (1 + Math.exp(-a)) * b);
        }
        float[] out = new float[w2.length];
        for (int i = 0; i < w2.length; i++) {
            out[i] = (float) dot(w2[i], hidden);
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static float[][] randomMatrix(Random random, int rows, int cols) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int i = 0; i < cols; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }
        return m;
    }

    private static NDArray matrix(NDManager manager, float[][] m) {
        return manager.create(flatten(m), new Shape(m.length, m[0].length));
    }

    private static float[] flatten(float[][] m) {
        float[] flat = new float[m.length * m[0].length];
        for (int r = 0; r < m.length; r++) {
            System.arraycopy(m[r], 0, flat, r * m[0].length, m[0].length);
        }
        return flat;
    }
}
