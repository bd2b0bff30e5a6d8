package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

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

    Attention(int heads, int kvHeads, int headDim, QkvProjection projection, Projection output, NDArray outputBias) {
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.projection = projection;
        this.output = output;
        this.outputBias = outputBias;
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
