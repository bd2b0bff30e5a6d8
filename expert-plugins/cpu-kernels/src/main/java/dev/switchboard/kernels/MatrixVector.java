package dev.switchboard.kernels;

/**
 * One vector times a matrix in native memory, on all cores ({@link ParallelChunks}), each weight read once.
 * Both orientations of a row-major {@code (rows, columns)} matrix: {@link #rowsDot} for the Hugging Face
 * {@code [out, in]} layout, {@link #rowsCombined} for a pre-transposed {@code [in, out]} one.
 */
public final class MatrixVector {

    private MatrixVector() {}

    /** {@code y[r] = row r · x}, {@code x} of length columns, {@code y} of length rows. */
    public static float[] rowsDot(WeightRows w, float[] x) {
        float[] y = new float[w.rows()];
        int chunks = Math.min(4 * ParallelChunks.threads(), w.rows());
        ParallelChunks.forEach(chunks, c -> {
            for (int r = c * w.rows() / chunks, end = (c + 1) * w.rows() / chunks; r < end; r++) {
                y[r] = w.dot(r, x, 0);
            }
        });
        return y;
    }

    /** {@code y = Σ_r x[r] · row r}, {@code x} of length rows, {@code y} of length columns. */
    public static float[] rowsCombined(WeightRows w, float[] x) {
        return rowsCombined(w, x, 1);
    }

    /**
     * {@link #rowsCombined(WeightRows, float[])} of {@code n} vectors at once: {@code x} row-major {@code [n, rows]}
     * → {@code [n, columns]}. The token loop is inside the row loop, so each weight row is read from memory once for
     * all {@code n} (a decode step of several sequences costs about the bytes of one).
     */
    public static float[] rowsCombined(WeightRows w, float[] x, int n) {
        int rows = w.rows();
        int columns = w.columns();
        int chunks = Math.min(2 * ParallelChunks.threads(), rows);
        float[][] shares = new float[chunks][];
        ParallelChunks.forEach(chunks, c -> {
            float[] share = new float[n * columns];
            for (int r = c * rows / chunks, end = (c + 1) * rows / chunks; r < end; r++) {
                for (int t = 0; t < n; t++) {
                    w.axpy(r, x[t * rows + r], share, t * columns);
                }
            }
            shares[c] = share;
        });
        float[] y = shares[0];
        for (int c = 1; c < chunks; c++) {
            for (int i = 0; i < y.length; i++) {
                y[i] += shares[c][i];
            }
        }
        for (int t = 0; t < n; t++) {
            w.finish(y, t * columns);
        }
        return y;
    }
}
