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
 * over a packed step: one projection for all tokens of all sequences, then, per sequence, its new
 * queries against its KV cache plus its new keys, causal within the new tokens. Query head j reads
 * kv head {@code j / (heads / kvHeads)}.
 */
final class Attention {

    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final NDArray qkv; // (hidden, (heads + 2·kvHeads)·headDim); q columns pre-scaled by 1/sqrt(headDim)
    private final NDArray output; // (heads·headDim, hidden)

    Attention(int heads, int kvHeads, int headDim, NDArray qkv, NDArray output) {
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.qkv = qkv;
        this.output = output;
    }

    /** {@code (tokens, hidden) -> (tokens, hidden)}; writes the step's keys and values into the caches. */
    NDArray forward(NDArray h, StepBatch batch, RotaryEmbedding rope, NDArray[] ropeTables, int layer) {
        NDManager step = h.getManager();
        int tokens = batch.tokens();
        int qkWidth = (heads + kvHeads) * headDim;
        NDArray projected = h.matMul(qkv); // (tokens, (heads + 2·kvHeads)·headDim)
        NDArray qk = projected.get(new NDIndex(":, :{}", qkWidth)).reshape(tokens, heads + kvHeads, headDim);
        NDArray v = projected.get(new NDIndex(":, {}:", qkWidth)).reshape(tokens, kvHeads, headDim);
        NDArray rotated = rope.apply(qk, ropeTables); // (tokens, heads + kvHeads, headDim)
        NDArray q = rotated.get(new NDIndex(":, :{}", heads)); // (tokens, heads, headDim)
        NDArray k = rotated.get(new NDIndex(":, {}:", heads)); // (tokens, kvHeads, headDim)
        if (batch.size() == 1) {
            return attend(step, batch, 0, q, k, v, layer).matMul(output); // (tokens, hidden)
        }
        NDList perSequence = new NDList(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            NDIndex rows = new NDIndex("{}:{}", batch.offset(i), batch.offset(i) + batch.count(i));
            perSequence.add(attend(step, batch, i, q.get(rows), k.get(rows), v.get(rows), layer));
        }
        return NDArrays.concat(perSequence, 0).matMul(output); // (tokens, hidden)
    }

    /** One sequence: {@code q (n, heads, hd)}, new {@code k, v (n, kvHeads, hd)} -> {@code (n, heads·hd)}. */
    private NDArray attend(NDManager step, StepBatch batch, int input, NDArray q, NDArray k, NDArray v, int layer) {
        int n = batch.count(input);
        int start = batch.start(input);
        int length = start + n;
        int group = heads / kvHeads;
        KvCache cache = batch.sequence(input).cache(layer);
        cache.write(start, k, v);
        NDArray keys = cache.keys(step, length).transpose(1, 2, 0); // (kvHeads, hd, length)
        NDArray values = cache.values(step, length).transpose(1, 0, 2); // (kvHeads, length, hd)
        // Queries grouped by the kv head they read: row r·n + i is head (g·group + r) of token i.
        NDArray grouped = n == 1
                ? q.reshape(kvHeads, group, headDim)
                : q.reshape(n, kvHeads, group, headDim).transpose(1, 2, 0, 3).reshape(kvHeads, group * n, headDim);
        NDArray scores = grouped.matMul(keys); // (kvHeads, group·n, length), already scaled by 1/sqrt(hd)
        DataType type = scores.getDataType();
        if (type != DataType.FLOAT32) {
            scores = scores.toType(DataType.FLOAT32, false); // softmax in float32, as HF does
        }
        if (n > 1) {
            scores = scores.addi(causalMask(step, group, n, start, length)); // (kvHeads, group·n, length)
        }
        NDArray probabilities = scores.softmax(-1); // (kvHeads, group·n, length)
        if (type != DataType.FLOAT32) {
            probabilities = probabilities.toType(type, false);
        }
        NDArray attended = probabilities.matMul(values); // (kvHeads, group·n, hd)
        return n == 1
                ? attended.reshape(1, heads * headDim)
                : attended.reshape(kvHeads, group, n, headDim).transpose(2, 0, 1, 3).reshape(n, heads * headDim);
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
