package dev.switchboard.experts.gelu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertProvider;
import dev.switchboard.spi.ExpertSpec;
import dev.switchboard.spi.ExpertWeights;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code gelu-mlp} on the PyTorch engine against the same equation written as plain Java loops. */
class GeluMlpExpertTest {

    // float32 matmuls over 16..32 terms of O(1) values: rounding stays near 1e-6; the erf approximation
    // below is within 1.5e-7. 1e-4 leaves room and still catches a tanh-approximated gelu (error ~1e-3).
    private static final double TOLERANCE = 1e-4;
    private static final int D_MODEL = 16;
    private static final int D_FF = 32;
    private static final int TOKENS = 5;

    private final Random random = new Random(42);
    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @Test
    void forwardMatchesThePlainJavaEquation() {
        float[][] w1 = randomMatrix(D_FF, D_MODEL);
        float[][] w2 = randomMatrix(D_MODEL, D_FF);
        float[][] x = randomMatrix(TOKENS, D_MODEL);

        try (Expert expert = new GeluMlpKind().create(spec(), weights(Map.of("w1", w1, "w2", w2)))) {
            float[] actual = expert.forward(manager.create(flatten(x), new Shape(TOKENS, D_MODEL))).toFloatArray();

            float[][] expected = reference(x, w1, w2);
            for (int t = 0; t < TOKENS; t++) {
                for (int o = 0; o < D_MODEL; o++) {
                    assertThat((double) actual[t * D_MODEL + o]).as("token %d, output %d", t, o)
                            .isCloseTo(expected[t][o], within(TOLERANCE));
                }
            }
        }
    }

    @Test
    void reportsParametersAndMemory() {
        try (Expert expert = new GeluMlpKind().create(spec(),
                weights(Map.of("w1", randomMatrix(D_FF, D_MODEL), "w2", randomMatrix(D_MODEL, D_FF))))) {
            assertThat(expert.parameterCount()).isEqualTo(2L * D_FF * D_MODEL);
            assertThat(expert.memoryBytes()).isEqualTo(2L * D_FF * D_MODEL * Float.BYTES);
        }
    }

    @Test
    void refusesAWeightOfTheWrongShapeNamingBothShapes() {
        ExpertWeights transposedW1 = weights(Map.of("w1", randomMatrix(D_MODEL, D_FF), "w2", randomMatrix(D_MODEL, D_FF)));

        assertThatThrownBy(() -> new GeluMlpKind().create(spec(), transposedW1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'w1'")
                .hasMessageContaining("(32, 16)")
                .hasMessageContaining("(16, 32)");
    }

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(ExpertProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(GeluMlpProvider.class);
        assertThat(new GeluMlpProvider().kinds()).extracting(k -> k.name()).containsExactly("gelu-mlp");
    }

    private static float[][] reference(float[][] x, float[][] w1, float[][] w2) {
        float[][] y = new float[x.length][D_MODEL];
        for (int t = 0; t < x.length; t++) {
            double[] hidden = new double[D_FF];
            for (int f = 0; f < D_FF; f++) {
                double sum = 0;
                for (int i = 0; i < D_MODEL; i++) {
                    sum += w1[f][i] * x[t][i];
                }
                hidden[f] = 0.5 * sum * (1 + erf(sum / Math.sqrt(2)));
            }
            for (int o = 0; o < D_MODEL; o++) {
                double sum = 0;
                for (int f = 0; f < D_FF; f++) {
                    sum += w2[o][f] * hidden[f];
                }
                y[t][o] = (float) sum;
            }
        }
        return y;
    }

    /** Abramowitz and Stegun 7.1.26: absolute error at most 1.5e-7. */
    private static double erf(double z) {
        double t = 1 / (1 + 0.3275911 * Math.abs(z));
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        double value = 1 - poly * Math.exp(-z * z);
        return z >= 0 ? value : -value;
    }

    private ExpertSpec spec() {
        return new ExpertSpec(D_MODEL, D_FF, DataType.FLOAT32, Device.cpu(), Map.of());
    }

    private ExpertWeights weights(Map<String, float[][]> values) {
        return new ExpertWeights() {
            @Override
            public Set<String> names() {
                return values.keySet();
            }

            @Override
            public NDArray get(String name) {
                float[][] m = values.get(name);
                if (m == null) {
                    throw new IllegalArgumentException("no weight '" + name + "'");
                }
                return manager.create(flatten(m), new Shape(m.length, m[0].length));
            }
        };
    }

    private float[][] randomMatrix(int rows, int cols) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int c = 0; c < cols; c++) {
                row[c] = (float) random.nextGaussian() * 0.5f;
            }
        }
        return m;
    }

    private static float[] flatten(float[][] m) {
        float[] flat = new float[m.length * m[0].length];
        for (int r = 0; r < m.length; r++) {
            System.arraycopy(m[r], 0, flat, r * m[0].length, m[0].length);
        }
        return flat;
    }
}
