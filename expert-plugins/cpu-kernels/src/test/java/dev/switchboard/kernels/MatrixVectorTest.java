package dev.switchboard.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Both orientations of the parallel matrix-vector product against loops in doubles. */
class MatrixVectorTest {

    @ParameterizedTest
    @CsvSource({"1024, 1536", "37, 101", "1, 16", "300, 7"})
    void rowsDotAndRowsCombinedMatchTheirDefinitions(int rows, int columns) {
        SplittableRandom random = new SplittableRandom(rows * 131L + columns);
        float[] values = new float[rows * columns];
        WeightRows w = randomRows(random, rows, columns, values);
        float[] byColumn = new float[columns];
        float[] byRow = new float[rows];
        for (int c = 0; c < columns; c++) byColumn[c] = (float) random.nextDouble(-1, 1);
        for (int r = 0; r < rows; r++) byRow[r] = (float) random.nextDouble(-1, 1);

        float[] dots = MatrixVector.rowsDot(w, byColumn);
        float[] combined = MatrixVector.rowsCombined(w, byRow);

        for (int r = 0; r < rows; r++) {
            double expected = 0;
            for (int c = 0; c < columns; c++) expected += values[r * columns + c] * (double) byColumn[c];
            assertThat((double) dots[r]).as("row %d", r).isCloseTo(expected, within(1e-4 * Math.sqrt(columns)));
        }
        for (int c = 0; c < columns; c++) {
            double expected = 0;
            for (int r = 0; r < rows; r++) expected += values[r * columns + c] * (double) byRow[r];
            assertThat((double) combined[c]).as("column %d", c).isCloseTo(expected, within(1e-4 * Math.sqrt(rows)));
        }
    }

    @ParameterizedTest
    @CsvSource({"37, 101, 3", "256, 1024, 16", "5, 9, 1", "37, 101, 6", "300, 70, 4", "16, 64, 5", "64, 200, 9"})
    void rowsCombinedOfSeveralVectorsGivesEachVectorItsOwnProduct(int rows, int columns, int n) {
        SplittableRandom random = new SplittableRandom(rows * 7L + columns * 3L + n);
        float[] values = new float[rows * columns];
        WeightRows w = randomRows(random, rows, columns, values);
        float[] x = new float[n * rows];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextDouble(-1, 1);

        float[] combined = MatrixVector.rowsCombined(w, x, n);

        assertThat(combined).hasSize(n * columns);
        for (int t = 0; t < n; t++) {
            for (int c = 0; c < columns; c++) {
                double expected = 0;
                for (int r = 0; r < rows; r++) expected += values[r * columns + c] * (double) x[t * rows + r];
                assertThat((double) combined[t * columns + c]).as("vector %d column %d", t, c)
                        .isCloseTo(expected, within(1e-4 * Math.sqrt(rows)));
            }
        }
    }

    /** A float32 matrix of random values in native memory; {@code values} gets the same values, row-major. */
    private static WeightRows randomRows(SplittableRandom random, int rows, int columns, float[] values) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder());
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
            buffer.putFloat(i * Float.BYTES, values[i]);
        }
        return WeightRows.float32(buffer, rows, columns);
    }
}
