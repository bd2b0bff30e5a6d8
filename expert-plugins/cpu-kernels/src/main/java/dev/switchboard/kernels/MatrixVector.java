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
     * → {@code [n, columns]}, each weight read from memory once for all {@code n} (a decode step of several sequences
     * costs about the bytes of one). Fewer than four vectors (or int8): the token loop inside the row loop, each
     * chunk of rows summing into a share of its own; four or more float32 vectors: register blocks
     * ({@link #inRegisterBlocks}).
     */
    public static float[] rowsCombined(WeightRows w, float[] x, int n) {
        int block = 4 * SimdRows.lanes(); // columns of one register block
        if (n >= 4 && w.columns() >= block && w instanceof WeightRows.Float32 f) {
            return inRegisterBlocks(f, x, n, block);
        }
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

    /**
     * Four or more vectors, float32: blocks of four tokens times {@code block} columns, each block's sums kept in
     * registers over all rows ({@link SimdRows#combine4}), so that no partial output goes to memory and back per row
     * (the shares' way costs a load and a store of the output per multiply-add). A column block's rows are read from
     * memory for its first token block and from the cache for the others.
     * The last token block and the last column block are shifted back to end at {@code n} and {@code columns}; where
     * they overlap the one before, they write the same values again.
     */
    private static float[] inRegisterBlocks(WeightRows.Float32 w, float[] x, int n, int block) {
        int rows = w.rows();
        int columns = w.columns();
        float[] y = new float[n * columns];
        int columnBlocks = (columns + block - 1) / block;
        int tokenBlocks = (n + 3) / 4;
        int chunks = Math.min(2 * ParallelChunks.threads(), columnBlocks);
        ParallelChunks.forEach(chunks, c -> {
            for (int b = c * columnBlocks / chunks, end = (c + 1) * columnBlocks / chunks; b < end; b++) {
                int c0 = Math.min(b * block, columns - block);
                for (int k = 0; k < tokenBlocks; k++) {
                    int t0 = Math.min(4 * k, n - 4);
                    w.combine4(0, rows, c0, x, t0 * rows, rows, y, t0 * columns);
                }
            }
        });
        return y;
    }
}
