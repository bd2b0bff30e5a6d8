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
 * over a packed step: one projection for all tokens of all sequences and one cache write per layer,
 * then the decode inputs (one new token each) together in one batched attention over their padded,
 * masked caches, and each prefill input against its own cache, causal within its new tokens. Query head
 * j reads kv head {@code j / (heads / kvHeads)}.
 */
final class Attention {

    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final Projection qkv; // (hidden, (heads + 2·kvHeads)·headDim); q columns pre-scaled by 1/sqrt(headDim)
    private final Projection output; // (heads·headDim, hidden)

    Attention(int heads, int kvHeads, int headDim, NDArray qkv, NDArray output) {
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.qkv = new Projection(qkv);
        this.output = new Projection(output);
    }

    /** {@code (tokens, hidden) -> (tokens, hidden)}; writes the step's keys and values into the cache. */
    NDArray forward(NDArray h, StepBatch batch, RotaryEmbedding rope, NDArray[] ropeTables, KvBlockPool cache,
            CacheRows rows, int layer) {
        NDManager step = h.getManager();
        int tokens = batch.tokens();
        int qkWidth = (heads + kvHeads) * headDim;
        // split() is one native call for both parts, where two NDIndex gets would be two (plus parsing).
        NDList qkAndV = qkv.apply(h).split(new long[] {qkWidth}, 1); // (tokens, (heads + kvHeads)·hd), (tokens, kvHeads·hd)
        NDArray qk = qkAndV.get(0).reshape(tokens, heads + kvHeads, headDim);
        NDArray v = qkAndV.get(1).reshape(tokens, kvHeads, headDim);
        NDList qAndK = rope.apply(qk, ropeTables).split(new long[] {heads}, 1);
        NDArray q = qAndK.get(0); // (tokens, heads, headDim)
        NDArray k = qAndK.get(1); // (tokens, kvHeads, headDim)
        NDArray keys = cache.keys(layer); // (rows, kvHeads, headDim)
        NDArray values = cache.values(layer); // (rows, kvHeads, headDim)
        NDIndex writeRows = new NDIndex("{}", rows.writeRows());
        keys.set(writeRows, k);
        values.set(writeRows, v);
        NDList attended = new NDList(batch.size()); // prefill inputs in order, then the decode group
        for (int i = 0; i < batch.size(); i++) {
            if (batch.count(i) > 1) {
                NDArray queries = batch.size() == 1 ? q : q.get(new NDIndex("{}:{}", batch.offset(i), batch.offset(i) + batch.count(i)));
                attended.add(attendPrefill(step, batch.count(i), batch.start(i), queries, keys, values, rows.sequenceRows(i)));
            }
        }
        if (rows.decodeCount() > 0) {
            NDArray queries = rows.decodeQueryRows() == null ? q : q.get(new NDIndex("{}", rows.decodeQueryRows()));
            attended.add(attendDecode(step, queries, keys, values, rows)); // (decode, heads·hd)
        }
        NDArray packed = attended.size() == 1 ? attended.get(0) : NDArrays.concat(attended, 0); // (tokens, heads·hd)
        if (rows.order() != null) {
            packed = packed.get(new NDIndex("{}", rows.order())); // back to token order
        }
        return output.apply(packed); // (tokens, hidden)
    }

    /**
     * All decode inputs at once: {@code q (decode, heads, hd)} against their caches gathered to
     * {@code (decode, decodeLength, kvHeads, hd)} -> {@code (decode, heads·hd)}. A sequence shorter than
     * decodeLength sees −∞ scores on the padding, so its softmax and weighted sum are those of its own keys.
     */
    private NDArray attendDecode(NDManager step, NDArray q, NDArray keys, NDArray values, CacheRows rows) {
        int decode = rows.decodeCount();
        int length = rows.decodeLength();
        int group = heads / kvHeads;
        NDIndex cacheRows = new NDIndex("{}", rows.decodeRows());
        NDArray cachedKeys = keys.get(step, cacheRows).reshape(decode, length, kvHeads, headDim)
                .transpose(0, 2, 3, 1); // (decode, kvHeads, hd, length)
        NDArray cachedValues = values.get(step, cacheRows).reshape(decode, length, kvHeads, headDim)
                .transpose(0, 2, 1, 3); // (decode, kvHeads, length, hd)
        NDArray grouped = q.reshape(decode, kvHeads, group, headDim); // (decode, kvHeads, group, hd)
        NDArray scores = grouped.matMul(cachedKeys); // (decode, kvHeads, group, length), already scaled by 1/sqrt(hd)
        DataType type = scores.getDataType();
        if (type != DataType.FLOAT32) {
            scores = scores.toType(DataType.FLOAT32, false); // softmax in float32, as HF does
        }
        if (rows.decodeMask() != null) {
            scores = scores.addi(rows.decodeMask()); // (decode, kvHeads, group, length)
        }
        NDArray probabilities = scores.softmax(-1); // (decode, kvHeads, group, length)
        if (type != DataType.FLOAT32) {
            probabilities = probabilities.toType(type, false);
        }
        return probabilities.matMul(cachedValues).reshape(decode, heads * headDim); // (decode, heads·hd)
    }

    /** One prefill input: {@code q (n, heads, hd)} against its cache rows {@code (start + n)} -> {@code (n, heads·hd)}. */
    private NDArray attendPrefill(NDManager step, int n, int start, NDArray q, NDArray keys, NDArray values,
            NDArray sequenceRows) {
        int length = start + n;
        int group = heads / kvHeads;
        NDIndex cacheRows = new NDIndex("{}", sequenceRows);
        NDArray cachedKeys = keys.get(step, cacheRows).transpose(1, 2, 0); // (kvHeads, hd, length)
        NDArray cachedValues = values.get(step, cacheRows).transpose(1, 0, 2); // (kvHeads, length, hd)
        // Queries grouped by the kv head they read: row r·n + i is head (g·group + r) of token i.
        NDArray grouped = q.reshape(n, kvHeads, group, headDim).transpose(1, 2, 0, 3).reshape(kvHeads, group * n, headDim);
        NDArray scores = grouped.matMul(cachedKeys); // (kvHeads, group·n, length), already scaled by 1/sqrt(hd)
        DataType type = scores.getDataType();
        if (type != DataType.FLOAT32) {
            scores = scores.toType(DataType.FLOAT32, false); // softmax in float32, as HF does
        }
        scores = scores.addi(causalMask(step, group, n, start, length)); // (kvHeads, group·n, length)
        NDArray probabilities = scores.softmax(-1); // (kvHeads, group·n, length)
        if (type != DataType.FLOAT32) {
            probabilities = probabilities.toType(type, false);
        }
        NDArray attended = probabilities.matMul(cachedValues); // (kvHeads, group·n, hd)
        return attended.reshape(kvHeads, group, n, headDim).transpose(2, 0, 1, 3).reshape(n, heads * headDim);
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
