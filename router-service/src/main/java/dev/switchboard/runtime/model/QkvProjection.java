package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.switchboard.runtime.checkpoint.QkNorm;

/**
 * The attention's input projection, with what a family does to queries, keys and values before RoPE
 * ({@link dev.switchboard.runtime.checkpoint.FamilyFeatures}): biases (Qwen2-MoE; {@code attention_bias}), RMSNorm of
 * q and k per head (Qwen3-MoE) or over the whole projection (OLMoE), then OLMoE's {@code clip_qkv} clamp of q, k and v.
 * Mixtral has none of these: one product ({@link Projection}) and a split.
 *
 * <p>The attention scale {@code 1/√headDim} is folded into q once when the model is built: into q's weight columns
 * and bias when q is not normalised, else into the q norm's weight (RMSNorm would undo a scale applied before it).
 * Either way q leaves here scaled, so its clamp bound is scaled too: {@code clamp(s·q, ±s·c) = s·clamp(q, ±c)}.
 */
final class QkvProjection {

    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final Projection qkv; // (hidden, (heads + 2·kvHeads)·headDim)
    private final NDArray bias; // ((heads + 2·kvHeads)·headDim) or null
    private final QkNorm norm;
    private final RmsNorm queryNorm; // PER_HEAD: weight (heads + kvHeads, headDim) for q and k at once; WHOLE_PROJECTION: (heads·headDim)
    private final RmsNorm keyNorm; // WHOLE_PROJECTION: (kvHeads·headDim); else null
    private final float queryClip; // NaN: no clamp
    private final float keyValueClip;
    private final float[] hostBias; // bias in the JVM for the host decode path; null without a bias

    QkvProjection(int heads, int kvHeads, int headDim, Projection qkv, NDArray bias, QkNorm norm, RmsNorm queryNorm,
            RmsNorm keyNorm, float queryClip, float keyValueClip) {
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.qkv = qkv;
        this.bias = bias;
        this.norm = norm;
        this.queryNorm = queryNorm;
        this.keyNorm = keyNorm;
        this.queryClip = queryClip;
        this.keyValueClip = keyValueClip;
        this.hostBias = bias != null && HostMemory.viewable(bias) ? HostMemory.copy(bias) : null;
    }

    /** Mixtral's projection: q, k and v from one matrix, nothing else. */
    static QkvProjection plain(int heads, int kvHeads, int headDim, Projection qkv) {
        return new QkvProjection(heads, kvHeads, headDim, qkv, null, QkNorm.NONE, null, null, Float.NaN, Float.NaN);
    }

    /** Whether {@link #projectOnHost} can run: the product on the kernel, the bias and the norms readable in place. */
    boolean onHost() {
        return qkv.onHost() && (bias == null || hostBias != null) && (queryNorm == null || queryNorm.onHost())
                && (keyNorm == null || keyNorm.onHost());
    }

    /** Width of one token's {@link #projectOnHost} row: {@code [q | k | v]}, {@code (heads + 2·kvHeads)·hd}. */
    int width() {
        return (heads + 2 * kvHeads) * headDim;
    }

    /**
     * {@link #project} of {@code n} decode tokens in Java: {@code h (n, hidden)} -> {@code (n, width())}, each row
     * {@code [q | k | v]}, q and k before RoPE (q scaled), with the same bias, norms and clamps in the same order.
     */
    float[] projectOnHost(float[] h, int n) {
        float[] projected = qkv.applyOnHost(h, n);
        int width = width();
        for (int t = 0; t < n; t++) {
            finishOnHost(projected, t * width);
        }
        return projected;
    }

    /** Bias, q/k norms and clamps of the token row at {@code at}, in place. */
    private void finishOnHost(float[] projected, int at) {
        if (hostBias != null) {
            for (int i = 0; i < hostBias.length; i++) {
                projected[at + i] += hostBias[i];
            }
        }
        int qWidth = heads * headDim;
        if (norm == QkNorm.WHOLE_PROJECTION) {
            queryNorm.applyOnHost(projected, at, qWidth, 0, projected, at);
            keyNorm.applyOnHost(projected, at + qWidth, kvHeads * headDim, 0, projected, at + qWidth);
        } else if (norm == QkNorm.PER_HEAD) {
            for (int head = 0; head < heads + kvHeads; head++) { // weight row `head`: q rows carry the scale
                int from = at + head * headDim;
                queryNorm.applyOnHost(projected, from, headDim, head * headDim, projected, from);
            }
        }
        if (!Float.isNaN(queryClip)) {
            clip(projected, at, at + qWidth, queryClip);
            clip(projected, at + qWidth, at + width(), keyValueClip);
        }
    }

    private static void clip(float[] values, int from, int to, float bound) {
        for (int i = from; i < to; i++) {
            values[i] = Math.max(-bound, Math.min(bound, values[i]));
        }
    }

    /**
     * {@code h (tokens, hidden)} -> q and k before RoPE {@code (tokens, heads + kvHeads, headDim)} (q scaled by
     * {@code 1/√headDim}) and v {@code (tokens, kvHeads, headDim)}.
     */
    NDList project(NDArray h, int tokens) {
        int qWidth = heads * headDim;
        int qkWidth = (heads + kvHeads) * headDim;
        NDArray projected = qkv.apply(h); // (tokens, (heads + 2·kvHeads)·hd)
        if (bias != null) {
            projected = projected.add(bias);
        }
        if (norm != QkNorm.WHOLE_PROJECTION && Float.isNaN(queryClip)) {
            // split() is one native call for both parts, where two NDIndex gets would be two (plus parsing).
            NDList qkAndV = projected.split(new long[] {qkWidth}, 1); // (tokens, (heads + kvHeads)·hd), (tokens, kvHeads·hd)
            NDArray qk = qkAndV.get(0).reshape(tokens, heads + kvHeads, headDim);
            if (norm == QkNorm.PER_HEAD) {
                qk = queryNorm.apply(qk); // each head's headDim values; q rows' weight carries the scale
            }
            return new NDList(qk, qkAndV.get(1).reshape(tokens, kvHeads, headDim));
        }
        NDList parts = projected.split(new long[] {qWidth, qkWidth}, 1); // q (tokens, heads·hd), k, v (tokens, kvHeads·hd)
        NDArray q = parts.get(0);
        NDArray k = parts.get(1);
        NDArray v = parts.get(2);
        if (norm == QkNorm.WHOLE_PROJECTION) {
            q = queryNorm.apply(q); // over all heads at once, before the head split
            k = keyNorm.apply(k);
        }
        NDArray qk = NDArrays.concat(new NDList(q, k), 1).reshape(tokens, heads + kvHeads, headDim);
        if (norm == QkNorm.PER_HEAD) {
            qk = queryNorm.apply(qk);
        }
        if (!Float.isNaN(queryClip)) {
            NDList clipped = qk.split(new long[] {heads}, 1);
            qk = NDArrays.concat(new NDList(clipped.get(0).clip(-queryClip, queryClip),
                    clipped.get(1).clip(-keyValueClip, keyValueClip)), 1);
            v = v.clip(-keyValueClip, keyValueClip);
        }
        return new NDList(qk, v.reshape(tokens, kvHeads, headDim));
    }
}
