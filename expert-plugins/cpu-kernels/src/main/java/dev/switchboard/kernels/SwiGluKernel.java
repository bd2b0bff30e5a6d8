package dev.switchboard.kernels;

/**
 * Mixtral's expert {@code y = W2 · (silu(W1·x) ⊙ W3·x)} for a few tokens, on all cores, reading every weight
 * once per call. All three matrices are stored with one row per inner unit ({@code [dFf, dModel]}): W1 and W3 as
 * Hugging Face stores them, W2 transposed. A chunk of inner units then reads three contiguous blocks and adds
 * its share of {@code y}; the chunks' shares are summed at the end, so the threads never wait for each other
 * in between.
 */
public final class SwiGluKernel {

    private final WeightRows gate; // W1, (dFf, dModel)
    private final WeightRows up; // W3, (dFf, dModel)
    private final WeightRows downTransposed; // W2ᵀ, (dFf, dModel)
    private final int dModel;
    private final int dFf;

    public SwiGluKernel(WeightRows gate, WeightRows up, WeightRows downTransposed) {
        dFf = gate.rows();
        dModel = gate.columns();
        for (WeightRows w : new WeightRows[] {up, downTransposed}) {
            if (w.rows() != dFf || w.columns() != dModel) {
                throw new IllegalArgumentException("W1, W3 and W2ᵀ must all be " + dFf + " x " + dModel + ", got "
                        + w.rows() + " x " + w.columns());
            }
        }
        this.gate = gate;
        this.up = up;
        this.downTransposed = downTransposed;
    }

    /** {@code n} tokens, {@code x} row-major {@code [n, dModel]} → {@code [n, dModel]}. */
    public float[] forward(float[] x, int n) {
        int chunks = Math.min(2 * ParallelChunks.threads(), dFf);
        float[][] shares = new float[chunks][];
        ParallelChunks.forEach(chunks, c -> shares[c] = chunk(x, n, c * dFf / chunks, (c + 1) * dFf / chunks));
        float[] y = shares[0];
        for (int c = 1; c < chunks; c++) {
            float[] share = shares[c];
            for (int i = 0; i < y.length; i++) {
                y[i] += share[i];
            }
        }
        for (int t = 0; t < n; t++) {
            downTransposed.finish(y, t * dModel);
        }
        return y;
    }

    /**
     * Inner units {@code [from, to)}: their gate and up values, then their part of every token's output. The token
     * loop is inside the row loop so that a row is read from memory once, whatever the number of tokens; from four
     * float32 tokens on, the output part is summed in register blocks over the chunk's W2ᵀ rows instead.
     */
    private float[] chunk(float[] x, int n, int from, int to) {
        int width = to - from;
        float[] hidden = new float[n * width]; // (n, width)
        float[] upValues = new float[n * width];
        for (int r = from; r < to; r++) {
            int t = 0;
            for (; t + 4 <= n; t += 4) { // four tokens per pass over the row: its loads shared, no reduction waits
                gate.dot4(r, x, t * dModel, dModel, hidden, t * width + r - from, width);
                up.dot4(r, x, t * dModel, dModel, upValues, t * width + r - from, width);
            }
            for (; t < n; t++) {
                hidden[t * width + r - from] = gate.dot(r, x, t * dModel);
                upValues[t * width + r - from] = up.dot(r, x, t * dModel);
            }
        }
        VectorKernels.siluTimes(hidden, upValues, n * width);
        float[] y = new float[n * dModel];
        int block = 4 * SimdRows.lanes();
        if (n >= 4 && dModel >= block && downTransposed instanceof WeightRows.Float32 down) {
            // four tokens × a block of columns summed in registers over the chunk's rows; the last token and column
            // blocks are shifted back to end at n and dModel (an overlap writes the same values again)
            for (int c0 = 0; c0 < dModel; c0 += block) {
                int firstColumn = Math.min(c0, dModel - block);
                for (int t0 = 0; t0 < n; t0 += 4) {
                    int firstToken = Math.min(t0, n - 4);
                    down.combine4(from, to, firstColumn, hidden, firstToken * width, width, y, firstToken * dModel);
                }
            }
            return y;
        }
        for (int r = from; r < to; r++) {
            for (int t = 0; t < n; t++) {
                downTransposed.axpy(r, hidden[t * width + r - from], y, t * dModel);
            }
        }
        return y;
    }
}
