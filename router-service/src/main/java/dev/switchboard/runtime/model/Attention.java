package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.kernels.ParallelChunks;
import dev.switchboard.kernels.VectorKernels;
import java.nio.ByteBuffer;

/**
 * Grouped-query self-attention (Ainslie et al. 2023; HF {@code MixtralAttention} without sliding window)
 * over a packed step: one projection for all tokens of all sequences and one key/value write per layer,
 * then the decode inputs (one new token each) together in one batched attention over their padded,
 * masked caches, and each group of prefill inputs (a prompt, or all training windows) against its
 * histories, causal within its new tokens. Query head j reads kv head {@code j / (heads / kvHeads)}.
 * The same code runs under autograd in training, where the histories are the windows' own keys.
 */
final class Attention {

    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final QkvProjection projection; // q leaves it scaled by 1/sqrt(headDim)
    private final Projection output; // (heads·headDim, hidden)
    private final NDArray outputBias; // (hidden) or null
    private final float[] hostOutputBias; // the same in the JVM for the host decode path, or null

    Attention(int heads, int kvHeads, int headDim, QkvProjection projection, Projection output, NDArray outputBias) {
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.projection = projection;
        this.output = output;
        this.outputBias = outputBias;
        this.hostOutputBias = outputBias != null && HostMemory.viewable(outputBias) ? HostMemory.copy(outputBias) : null;
    }

    /** Whether {@link #decodeOnHost} can run: both projections on the kernel, the bias (if any) in the JVM. */
    boolean onHost() {
        return projection.onHost() && output.onHost() && (outputBias == null || hostOutputBias != null);
    }

    /**
     * {@link #forward} of a host decode step's tokens in Java, one new token per sequence: {@code h (n, hidden) ->
     * (n, hidden)}. Both projections run once for all n (each weight row read once). Each sequence's new key and value
     * go into the paged cache's memory at its token's row; each of its query heads then attends over its kv head's
     * rows of that sequence with Vector API dot products and scaled additions, softmax in float32 in between. The
     * sequences are independent there and are shared out over the cores.
     */
    float[] decodeOnHost(float[] h, HostDecodeStep step, int layer) {
        int n = step.size();
        float[] qkv = projection.projectOnHost(h, n); // (n, [q | k | v]), q scaled by 1/sqrt(hd)
        int width = projection.width();
        ByteBuffer keys = step.keys(layer); // (rows, kvHeads, hd)
        ByteBuffer values = step.values(layer);
        float[] attended = new float[n * heads * headDim];
        ParallelChunks.forEach(n, s -> attendOnHost(qkv, s * width, step, s, keys, values, attended,
                s * heads * headDim));
        float[] out = output.applyOnHost(attended, n); // (n, hidden)
        if (hostOutputBias != null) {
            for (int i = 0; i < out.length; i++) {
                out[i] += hostOutputBias[i % hostOutputBias.length];
            }
        }
        return out;
    }

    /** Sequence {@code s} of a host decode step: RoPE, its cache write, then its heads into {@code attended[at, ..)}. */
    private void attendOnHost(float[] qkv, int from, HostDecodeStep step, int s, ByteBuffer keys, ByteBuffer values,
            float[] attended, int at) {
        step.rope().applyOnHost(qkv, from, heads + kvHeads, step.ropeTables()[s]); // q and k heads are adjacent
        int rowBytes = kvHeads * headDim * Float.BYTES;
        int position = step.positions()[s];
        int[] rows = step.rows()[s];
        int written = rows[position] * rowBytes;
        int keyFrom = from + heads * headDim;
        int valueFrom = from + (heads + kvHeads) * headDim;
        for (int i = 0; i < kvHeads * headDim; i++) {
            keys.putFloat(written + i * Float.BYTES, qkv[keyFrom + i]);
            values.putFloat(written + i * Float.BYTES, qkv[valueFrom + i]);
        }
        int length = position + 1;
        int group = heads / kvHeads;
        float[] scores = new float[group * length]; // (group, length): the query heads of one kv head
        for (int kvHead = 0; kvHead < kvHeads; kvHead++) {
            int kvBytes = kvHead * headDim * Float.BYTES;
            int firstHead = kvHead * group;
            int j = 0;
            for (; j + 4 <= group; j += 4) { // four query heads per read of a key (GQA)
                for (int p = 0; p < length; p++) {
                    VectorKernels.dot4(keys, rows[p] * rowBytes + kvBytes, qkv, from + (firstHead + j) * headDim, headDim,
                            headDim, scores, j * length + p, length);
                }
            }
            for (; j < group; j++) {
                for (int p = 0; p < length; p++) {
                    scores[j * length + p] = VectorKernels.dot(keys, rows[p] * rowBytes + kvBytes, qkv,
                            from + (firstHead + j) * headDim, headDim);
                }
            }
            for (j = 0; j < group; j++) {
                int head = firstHead + j;
                int row = j * length;
                float max = Float.NEGATIVE_INFINITY;
                for (int p = 0; p < length; p++) {
                    max = Math.max(max, scores[row + p]);
                }
                float sum = 0;
                for (int p = 0; p < length; p++) {
                    scores[row + p] = (float) Math.exp(scores[row + p] - max);
                    sum += scores[row + p];
                }
                for (int p = 0; p < length; p++) {
                    VectorKernels.axpy(scores[row + p] / sum, values, rows[p] * rowBytes + kvBytes, attended,
                            at + head * headDim, headDim);
                }
            }
        }
    }


    /**
     * {@code (tokens, hidden) -> (tokens, hidden)}: {@code softmax(q·kᵀ/√hd + mask)·v} per head, then the output
     * projection. Writes the step's keys and values to {@code step}'s store before reading the histories back.
     */
    NDArray forward(NDArray h, AttentionStep step, int layer) {
        int tokens = Math.toIntExact(h.getShape().get(0));
        NDList qkAndV = projection.project(h, tokens);
        NDArray qk = qkAndV.get(0); // (tokens, heads + kvHeads, hd), before RoPE
        NDArray v = qkAndV.get(1); // (tokens, kvHeads, hd)
        NDList qAndK = step.rope().apply(qk, step.ropeTables()).split(new long[] {heads}, 1);
        NDArray q = qAndK.get(0); // (tokens, heads, headDim)
        NDArray k = qAndK.get(1); // (tokens, kvHeads, headDim)
        KeyValueStore store = step.store();
        KeyValueStore.LayerHistory history = store.write(layer, k, v);
        StepBatch batch = step.batch();
        NDList attended = new NDList(batch.size()); // prefill groups in order, then the decode group
        for (KeyValueStore.PrefillGroup group : store.prefillGroups()) {
            int from = batch.offset(group.first());
            int to = batch.offset(group.first() + group.inputs() - 1) + batch.count(group.first() + group.inputs() - 1);
            NDArray queries = from == 0 && to == tokens ? q : q.get(new NDIndex("{}:{}", from, to));
            attended.add(attendPrefill(h.getManager(), group.inputs(), batch.count(group.first()),
                    batch.start(group.first()), queries, history.prefill(group))); // (inputs·n, heads·hd)
        }
        if (store.decodeCount() > 0) {
            NDArray queries = store.decodeQueryRows() == null ? q : q.get(new NDIndex("{}", store.decodeQueryRows()));
            attended.add(attendDecode(queries, history.decode(), store.decodeMask())); // (decode, heads·hd)
        }
        NDArray packed = attended.size() == 1 ? attended.get(0) : NDArrays.concat(attended, 0); // (tokens, heads·hd)
        if (store.order() != null) {
            packed = packed.get(new NDIndex("{}", store.order())); // back to token order
        }
        NDArray out = output.apply(packed); // (tokens, hidden)
        return outputBias == null ? out : out.add(outputBias);
    }

    /**
     * All decode inputs at once: {@code q (decode, heads, hd)} against their caches
     * {@code (decode, decodeLength, kvHeads, hd)} -> {@code (decode, heads·hd)}. A sequence shorter than
     * decodeLength sees −∞ scores on the padding, so its softmax and weighted sum are those of its own keys.
     */
    private NDArray attendDecode(NDArray q, NDArray[] cached, NDArray mask) {
        int decode = Math.toIntExact(q.getShape().get(0));
        int group = heads / kvHeads;
        NDArray cachedKeys = cached[0].transpose(0, 2, 3, 1); // (decode, kvHeads, hd, length)
        NDArray cachedValues = cached[1].transpose(0, 2, 1, 3); // (decode, kvHeads, length, hd)
        NDArray grouped = q.reshape(decode, kvHeads, group, headDim); // (decode, kvHeads, group, hd)
        NDArray scores = grouped.matMul(cachedKeys); // (decode, kvHeads, group, length), already scaled by 1/sqrt(hd)
        DataType type = scores.getDataType();
        if (RmsNorm.isHalf(type)) {
            scores = scores.toType(DataType.FLOAT32, false); // softmax in float32, as HF does
        }
        if (mask != null) {
            scores = scores.addi(mask); // (decode, kvHeads, group, length)
        }
        NDArray probabilities = scores.softmax(-1); // (decode, kvHeads, group, length)
        if (RmsNorm.isHalf(type)) {
            probabilities = probabilities.toType(type, false);
        }
        return probabilities.matMul(cachedValues).reshape(decode, heads * headDim); // (decode, heads·hd)
    }

    /**
     * {@code b} inputs of {@code n} new tokens each, starting at position {@code start}: {@code q (b·n, heads, hd)}
     * against their histories {@code (b, start + n, kvHeads, hd)}, causal -> {@code (b·n, heads·hd)}.
     */
    private NDArray attendPrefill(NDManager step, int b, int n, int start, NDArray q, NDArray[] history) {
        int length = start + n;
        int group = heads / kvHeads;
        NDArray cachedKeys = history[0].transpose(0, 2, 3, 1); // (b, kvHeads, hd, length)
        NDArray cachedValues = history[1].transpose(0, 2, 1, 3); // (b, kvHeads, length, hd)
        // Queries grouped by the kv head they read: row r·n + i is head (g·group + r) of token i.
        NDArray grouped = q.reshape(b, n, kvHeads, group, headDim).transpose(0, 2, 3, 1, 4)
                .reshape(b, kvHeads, group * n, headDim); // (b, kvHeads, group·n, hd)
        NDArray scores = grouped.matMul(cachedKeys); // (b, kvHeads, group·n, length), already scaled by 1/sqrt(hd)
        DataType type = scores.getDataType();
        if (RmsNorm.isHalf(type)) {
            scores = scores.toType(DataType.FLOAT32, false); // softmax in float32, as HF does
        }
        scores = scores.add(causalMask(step, group, n, start, length)); // (b, kvHeads, group·n, length)
        NDArray probabilities = scores.softmax(-1); // (b, kvHeads, group·n, length)
        if (RmsNorm.isHalf(type)) {
            probabilities = probabilities.toType(type, false);
        }
        NDArray attended = probabilities.matMul(cachedValues); // (b, kvHeads, group·n, hd)
        return attended.reshape(b, kvHeads, group, n, headDim).transpose(0, 3, 1, 2, 4).reshape(b * n, heads * headDim);
    }

    /** {@code (1, group·n, length)}: −∞ where new token i (at position start+i) would see a later key. */
    private static NDArray causalMask(NDManager step, int group, int n, int start, int length) {
        float[] mask = new float[group * n * length];
        for (int r = 0; r < group; r++) {
            for (int i = 0; i < n; i++) {
                int row = (r * n + i) * length;
                for (int j = start + i + 1; j < length; j++) {
                    mask[row + j] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        return step.create(mask, new Shape(1, group * n, length));
    }
}
