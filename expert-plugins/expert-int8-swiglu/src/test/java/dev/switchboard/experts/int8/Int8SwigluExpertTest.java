package dev.switchboard.experts.int8;

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

/**
 * {@code int8-swiglu} on the PyTorch engine against plain-Java loops: exactly the documented quantisation
 * scheme, and close to the unquantised SwiGLU within the error int8 rounding allows.
 */
class Int8SwigluExpertTest {

    // Same scheme computed in double: only float32 rounding in the engine differs (~1e-6 at these sizes).
    private static final double SAME_SCHEME_TOLERANCE = 1e-4;
    // Each weight moves by at most scale/2 = max|row|/254; for Gaussian rows of 16..32 values that is a
    // relative RMS error near 0.3% per matrix, about 0.5% on the output through three matrices. 2% bounds it.
    private static final double MAX_RELATIVE_ERROR_VS_FLOAT = 0.02;
    private static final int D_MODEL = 16;
    private static final int D_FF = 32;
    private static final int TOKENS = 6;

    private final Random random = new Random(7);
    private NDManager manager;
    private float[][] w1;
    private float[][] w2;
    private float[][] w3;
    private float[][] x;

    @BeforeEach
    void randomWeights() {
        manager = NDManager.newBaseManager(Device.cpu());
        w1 = randomMatrix(D_FF, D_MODEL);
        w2 = randomMatrix(D_MODEL, D_FF);
        w3 = randomMatrix(D_FF, D_MODEL);
        x = randomMatrix(TOKENS, D_MODEL);
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @Test
    void forwardIsSwigluOverTheDequantisedWeights() {
        float[] actual = forward();

        assertSwigluOverDequantisedWeights(actual);
    }

    @Test
    void theTestJvmRunsTheKernel() {
        try (Int8SwigluExpert expert = (Int8SwigluExpert) new Int8SwigluKind().create(spec(), weights())) {
            assertThat(expert.usesKernel()).as("surefire starts the JVM with jdk.incubator.vector").isTrue();
        }
    }

    @Test
    void thePyTorchPathWithoutTheVectorApiComputesTheSame() {
        float[] actual;
        try (Expert expert = new Int8SwigluExpert(spec(), matrix(w1), matrix(w2), matrix(w3), false)) {
            actual = expert.forward(matrix(x)).toFloatArray();
        }

        assertSwigluOverDequantisedWeights(actual);
    }

    private void assertSwigluOverDequantisedWeights(float[] actual) {
        double[][] expected = swiglu(x, dequantise(w1), dequantise(w2), dequantise(w3));
        for (int t = 0; t < TOKENS; t++) {
            for (int o = 0; o < D_MODEL; o++) {
                assertThat((double) actual[t * D_MODEL + o]).as("token %d, output %d", t, o)
                        .isCloseTo(expected[t][o], within(SAME_SCHEME_TOLERANCE));
            }
        }
    }

    @Test
    void staysCloseToTheUnquantisedSwiglu() {
        float[] actual = forward();

        double[][] exact = swiglu(x, w1, w2, w3);
        double error = 0;
        double norm = 0;
        for (int t = 0; t < TOKENS; t++) {
            for (int o = 0; o < D_MODEL; o++) {
                double difference = actual[t * D_MODEL + o] - exact[t][o];
                error += difference * difference;
                norm += exact[t][o] * exact[t][o];
            }
        }
        assertThat(Math.sqrt(error / norm)).isLessThan(MAX_RELATIVE_ERROR_VS_FLOAT).isGreaterThan(0);
    }

    @Test
    void everyWeightIsWithinHalfAStepOfItsQuantisedValue() {
        try (NDManager owner = NDManager.newBaseManager(Device.cpu())) {
            Int8Rows rows = Int8Rows.quantise(matrix(w1), false, DataType.FLOAT32, owner);
            byte[] values = rows.values().toByteArray(); // (out, in) row-major
            float[] scales = rows.scales().toFloatArray();

            for (int o = 0; o < D_FF; o++) {
                for (int i = 0; i < D_MODEL; i++) {
                    double restored = values[o * D_MODEL + i] * (double) scales[o];
                    assertThat(Math.abs(w1[o][i] - restored)).isLessThanOrEqualTo(scales[o] / 2 + 1e-7);
                }
            }
        }
    }

    @Test
    void holdsAQuarterOfTheFloatMemory() {
        try (Expert expert = new Int8SwigluKind().create(spec(), weights())) {
            assertThat(expert.parameterCount()).isEqualTo(3L * D_FF * D_MODEL);
            long int8Values = 3L * D_FF * D_MODEL;
            long scales = (2L * D_FF + D_MODEL) * Float.BYTES;
            assertThat(expert.memoryBytes()).isEqualTo(int8Values + scales);
        }
    }

    @Test
    void refusesAWeightOfTheWrongShape() {
        w3 = randomMatrix(D_FF, D_MODEL + 1);

        assertThatThrownBy(() -> new Int8SwigluKind().create(spec(), weights()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'w3'")
                .hasMessageContaining("(32, 16)")
                .hasMessageContaining("(32, 17)");
    }

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(ExpertProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(Int8SwigluProvider.class);
    }

    private float[] forward() {
        try (Expert expert = new Int8SwigluKind().create(spec(), weights())) {
            return expert.forward(matrix(x)).toFloatArray();
        }
    }

    /** The documented scheme: per row, scale = max|w|/127, q = clip(rint(w/scale), ±127), w' = q·scale. */
    private static float[][] dequantise(float[][] w) {
        float[][] restored = new float[w.length][w[0].length];
        for (int r = 0; r < w.length; r++) {
            float max = 0;
            for (float v : w[r]) {
                max = Math.max(max, Math.abs(v));
            }
            float scale = Math.max(max / 127f, Float.MIN_NORMAL);
            for (int c = 0; c < w[r].length; c++) {
                float q = Math.max(-127, Math.min(127, (float) Math.rint(w[r][c] / scale)));
                restored[r][c] = q * scale;
            }
        }
        return restored;
    }

    /** Mixtral's expert: w2 · (silu(w1·x) ⊙ w3·x), in double. */
    private static double[][] swiglu(float[][] x, float[][] w1, float[][] w2, float[][] w3) {
        double[][] y = new double[x.length][D_MODEL];
        for (int t = 0; t < x.length; t++) {
            double[] hidden = new double[D_FF];
            for (int f = 0; f < D_FF; f++) {
                double gate = 0;
                double up = 0;
                for (int i = 0; i < D_MODEL; i++) {
                    gate += w1[f][i] * (double) x[t][i];
                    up += w3[f][i] * (double) x[t][i];
                }
                hidden[f] = gate / (1 + Math.exp(-gate)) * up;
            }
            for (int o = 0; o < D_MODEL; o++) {
                for (int f = 0; f < D_FF; f++) {
                    y[t][o] += w2[o][f] * hidden[f];
                }
            }
        }
        return y;
    }

    private ExpertSpec spec() {
        return new ExpertSpec(D_MODEL, D_FF, DataType.FLOAT32, Device.cpu(), Map.of());
    }

    private ExpertWeights weights() {
        Map<String, float[][]> values = Map.of("w1", w1, "w2", w2, "w3", w3);
        return new ExpertWeights() {
            @Override
            public Set<String> names() {
                return values.keySet();
            }

            @Override
            public NDArray get(String name) {
                return matrix(values.get(name));
            }
        };
    }

    private NDArray matrix(float[][] m) {
        float[] flat = new float[m.length * m[0].length];
        for (int r = 0; r < m.length; r++) {
            System.arraycopy(m[r], 0, flat, r * m[0].length, m[0].length);
        }
        return manager.create(flat, new Shape(m.length, m[0].length));
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
}
