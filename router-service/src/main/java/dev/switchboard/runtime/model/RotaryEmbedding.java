package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding (Su et al. 2021, RoFormer) in Hugging Face's {@code rotate_half} form:
 * {@code inv_freq = 1/theta^(arange(0,hd,2)/hd)}, {@code ang = pos·inv_freq}, {@code emb = cat(ang, ang)},
 * {@code x' = x·cos(emb) + rotate_half(x)·sin(emb)}, {@code rotate_half(x) = cat(-x[hd/2:], x[:hd/2])}.
 *
 * <p>{@code rotate_half} is a signed permutation, so it is applied as one matmul with a constant
 * {@code (hd, hd)} matrix (exact: every column has a single ±1) instead of four slicing calls.
 * Angles are computed in float32 in the reference's order, each token at its own position.
 */
final class RotaryEmbedding {

    private final int headDim;
    private final float[] invFreq; // (headDim / 2)
    private final NDArray rotateHalf; // (headDim, headDim)

    RotaryEmbedding(int headDim, double theta, NDManager owner, DataType type) {
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("rotary embedding needs an even head_dim, found " + headDim);
        }
        this.headDim = headDim;
        int half = headDim / 2;
        invFreq = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / (float) headDim;
            invFreq[i] = 1f / (float) Math.pow((float) theta, exponent);
        }
        float[] rotation = new float[headDim * headDim]; // row j, column i: (x·R)[i] = Σ_j x[j]·R[j][i]
        for (int i = 0; i < half; i++) {
            rotation[(i + half) * headDim + i] = -1f; // out[i] = -x[i + half]
            rotation[i * headDim + (i + half)] = 1f; // out[i + half] = x[i]
        }
        NDArray r = owner.create(rotation, new Shape(headDim, headDim));
        rotateHalf = type == DataType.FLOAT32 ? r : r.toType(type, false);
    }

    /** cos and sin of {@code emb} for each token's position: two {@code (tokens, 1, headDim)} arrays. */
    NDArray[] tables(NDManager step, int[] positions, DataType type) {
        int half = headDim / 2;
        float[] cos = new float[positions.length * headDim];
        float[] sin = new float[positions.length * headDim];
        for (int t = 0; t < positions.length; t++) {
            for (int i = 0; i < half; i++) {
                float angle = (float) positions[t] * invFreq[i];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[t * headDim + i] = c;
                cos[t * headDim + half + i] = c;
                sin[t * headDim + i] = s;
                sin[t * headDim + half + i] = s;
            }
        }
        Shape shape = new Shape(positions.length, 1, headDim);
        NDArray cosArray = step.create(cos, shape);
        NDArray sinArray = step.create(sin, shape);
        if (type != DataType.FLOAT32) {
            cosArray = cosArray.toType(type, false);
            sinArray = sinArray.toType(type, false);
        }
        return new NDArray[] {cosArray, sinArray};
    }

    /** {@link #tables} of one position in the JVM: {@code {cos (headDim), sin (headDim)}}, for {@link #applyOnHost}. */
    float[][] hostTables(int position) {
        float[][] tables = new float[2][headDim];
        int half = headDim / 2;
        for (int i = 0; i < half; i++) {
            float angle = (float) position * invFreq[i];
            float c = (float) Math.cos(angle);
            float s = (float) Math.sin(angle);
            tables[0][i] = c;
            tables[0][half + i] = c;
            tables[1][i] = s;
            tables[1][half + i] = s;
        }
        return tables;
    }

    /**
     * {@link #apply} in Java, in place, on the first {@code heads} heads of one token's {@code x[from, ..)}, laid out
     * {@code (heads·headDim, ..)}: {@code rotate_half(x)·sin + x·cos}, each product rounded to float32 before the sum
     * as PyTorch's two ops do.
     */
    void applyOnHost(float[] x, int from, int heads, float[][] tables) {
        int half = headDim / 2;
        float[] cos = tables[0];
        float[] sin = tables[1];
        for (int head = 0; head < heads; head++) {
            int at = from + head * headDim;
            for (int i = 0; i < half; i++) {
                float first = x[at + i];
                float second = x[at + half + i];
                float rotatedFirst = -second * sin[i];
                float rotatedSecond = first * sin[half + i];
                x[at + i] = rotatedFirst + first * cos[i];
                x[at + half + i] = rotatedSecond + second * cos[half + i];
            }
        }
    }

    /** {@code x' = x·cos + rotate_half(x)·sin} for {@code x (tokens, heads, headDim)}. */
    NDArray apply(NDArray x, NDArray[] tables) {
        NDArray rotated = x.matMul(rotateHalf); // (tokens, heads, headDim)
        return rotated.muli(tables[1]).addi(x.mul(tables[0])); // (tokens, heads, headDim)
    }
}
