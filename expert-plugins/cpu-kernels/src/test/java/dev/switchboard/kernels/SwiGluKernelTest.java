package dev.switchboard.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The kernels against the SwiGLU formula written out in doubles, on widths with and without vector tails. */
class SwiGluKernelTest {

    @Test
    void theVectorApiIsInTheTestJvm() {
        // The surefire configuration adds the module; without it every other test here would test nothing.
        assertThat(VectorKernels.available()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"64, 128, 1", "1024, 2816, 1", "67, 45, 3", "256, 768, 16", "67, 45, 7", "256, 768, 4", "40, 33, 5"})
    void float32ExpertMatchesTheFormula(int dModel, int dFf, int tokens) {
        SplittableRandom random = new SplittableRandom(dModel * 31L + dFf);
        float[][] w1 = matrix(random, dFf, dModel);
        float[][] w3 = matrix(random, dFf, dModel);
        float[][] w2 = matrix(random, dModel, dFf);
        float[] x = vector(random, tokens * dModel);
        SwiGluKernel kernel = new SwiGluKernel(float32(w1), float32(w3), float32(transpose(w2)));

        float[] y = kernel.forward(x, tokens);

        double[] expected = reference(w1, w3, w2, x, tokens);
        for (int i = 0; i < y.length; i++) {
            assertThat((double) y[i]).as("output %d", i).isCloseTo(expected[i], within(1e-4 * (1 + Math.abs(expected[i]))));
        }
    }

    @ParameterizedTest
    @CsvSource({"64, 128, 1", "67, 45, 3", "256, 768, 8", "67, 45, 6"})
    void int8ExpertMatchesTheFormulaOnTheQuantisedWeights(int dModel, int dFf, int tokens) {
        SplittableRandom random = new SplittableRandom(dModel * 7L + dFf);
        byte[][] q1 = bytes(random, dFf, dModel);
        byte[][] q3 = bytes(random, dFf, dModel);
        byte[][] q2 = bytes(random, dModel, dFf);
        float[] s1 = positive(random, dFf);
        float[] s3 = positive(random, dFf);
        float[] s2 = positive(random, dModel);
        float[] x = vector(random, tokens * dModel);
        SwiGluKernel kernel = new SwiGluKernel(
                WeightRows.int8(buffer(q1), dFf, dModel, s1, null),
                WeightRows.int8(buffer(q3), dFf, dModel, s3, null),
                WeightRows.int8(buffer(transpose(q2)), dFf, dModel, null, s2));

        float[] y = kernel.forward(x, tokens);

        double[] expected = reference(dequantised(q1, s1), dequantised(q3, s3), dequantised(q2, s2), x, tokens);
        for (int i = 0; i < y.length; i++) {
            assertThat((double) y[i]).as("output %d", i).isCloseTo(expected[i], within(1e-4 * (1 + Math.abs(expected[i]))));
        }
    }

    @Test
    void mismatchedMatricesAreRefusedWithTheirShapes() {
        WeightRows a = float32(new float[4][3]);
        WeightRows b = float32(new float[3][4]);
        assertThatThrownBy(() -> new SwiGluKernel(a, a, b)).hasMessageContaining("4 x 3").hasMessageContaining("3 x 4");
    }

    @Test
    void aFailingChunkFailsTheCall() {
        assertThatThrownBy(() -> ParallelChunks.forEach(8, i -> {
            if (i == 5) throw new IllegalStateException("chunk 5");
        })).hasMessage("chunk 5");
    }

    private static double[] reference(float[][] w1, float[][] w3, float[][] w2, float[] x, int tokens) {
        int dFf = w1.length;
        int dModel = w1[0].length;
        double[] y = new double[tokens * dModel];
        for (int t = 0; t < tokens; t++) {
            double[] h = new double[dFf];
            for (int r = 0; r < dFf; r++) {
                double g = 0;
                double u = 0;
                for (int c = 0; c < dModel; c++) {
                    g += w1[r][c] * (double) x[t * dModel + c];
                    u += w3[r][c] * (double) x[t * dModel + c];
                }
                h[r] = g / (1 + Math.exp(-g)) * u;
            }
            for (int o = 0; o < dModel; o++) {
                double sum = 0;
                for (int r = 0; r < dFf; r++) {
                    sum += w2[o][r] * h[r];
                }
                y[t * dModel + o] = sum;
            }
        }
        return y;
    }

    private static float[][] matrix(SplittableRandom random, int rows, int columns) {
        float[][] m = new float[rows][];
        for (int r = 0; r < rows; r++) {
            m[r] = vector(random, columns);
        }
        return m;
    }

    private static float[] vector(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble(-0.5, 0.5);
        }
        return v;
    }

    private static float[] positive(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble(0.001, 0.01);
        }
        return v;
    }

    private static byte[][] bytes(SplittableRandom random, int rows, int columns) {
        byte[][] m = new byte[rows][columns];
        for (byte[] row : m) {
            for (int c = 0; c < columns; c++) {
                row[c] = (byte) random.nextInt(-127, 128);
            }
        }
        return m;
    }

    private static float[][] transpose(float[][] m) {
        float[][] t = new float[m[0].length][m.length];
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[0].length; c++) {
                t[c][r] = m[r][c];
            }
        }
        return t;
    }

    private static byte[][] transpose(byte[][] m) {
        byte[][] t = new byte[m[0].length][m.length];
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[0].length; c++) {
                t[c][r] = m[r][c];
            }
        }
        return t;
    }

    /** Scales per row of the Hugging Face {@code [out, in]} matrix, as int8-swiglu quantises. */
    private static float[][] dequantised(byte[][] q, float[] rowScales) {
        float[][] m = new float[q.length][q[0].length];
        for (int r = 0; r < q.length; r++) {
            for (int c = 0; c < q[0].length; c++) {
                m[r][c] = q[r][c] * rowScales[r];
            }
        }
        return m;
    }

    private static WeightRows float32(float[][] m) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(m.length * m[0].length * Float.BYTES).order(ByteOrder.nativeOrder());
        for (float[] row : m) {
            for (float v : row) {
                buffer.putFloat(v);
            }
        }
        return WeightRows.float32(buffer, m.length, m[0].length);
    }

    private static ByteBuffer buffer(byte[][] m) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(m.length * m[0].length);
        for (byte[] row : m) {
            buffer.put(row);
        }
        return buffer;
    }
}
