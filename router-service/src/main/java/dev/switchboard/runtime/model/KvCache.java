package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * One layer's key/value cache of one sequence: {@code (capacity, kvHeads, headDim)} tensors, grown in
 * chunks of {@link #CHUNK} positions and written in place, so a decode step copies only its new row.
 * Not thread-safe: a sequence takes part in one step at a time.
 */
final class KvCache implements AutoCloseable {

    /** Positions allocated at a time; growing copies the filled part once per chunk. */
    static final int CHUNK = 256;

    private final NDManager manager;
    private final int kvHeads;
    private final int headDim;
    private final DataType type;
    private final int maxLength;
    private NDArray keys; // (capacity, kvHeads, headDim)
    private NDArray values; // (capacity, kvHeads, headDim)
    private int capacity;

    KvCache(NDManager parent, int kvHeads, int headDim, DataType type, int maxLength) {
        this.manager = parent.newSubManager();
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.type = type;
        this.maxLength = maxLength;
    }

    int capacity() {
        return capacity;
    }

    /** Makes room for {@code length} positions, keeping the first {@code filled}. */
    void ensureCapacity(int length, int filled) {
        if (length <= capacity) {
            return;
        }
        if (length > maxLength) {
            throw new IllegalStateException("sequence would reach " + length + " positions but the model supports "
                    + maxLength + " (max_position_embeddings)");
        }
        int next = Math.min(maxLength, (length + CHUNK - 1) / CHUNK * CHUNK);
        NDArray grownKeys = manager.zeros(new Shape(next, kvHeads, headDim), type);
        NDArray grownValues = manager.zeros(new Shape(next, kvHeads, headDim), type);
        if (filled > 0) {
            NDIndex prefix = new NDIndex(":{}", filled);
            try (NDManager scratch = manager.newSubManager()) {
                grownKeys.set(prefix, keys.get(scratch, prefix));
                grownValues.set(prefix, values.get(scratch, prefix));
            }
        }
        if (keys != null) {
            keys.close();
            values.close();
        }
        keys = grownKeys;
        values = grownValues;
        capacity = next;
    }

    /** Writes {@code (n, kvHeads, headDim)} new keys and values at positions {@code at .. at+n}. */
    void write(int at, NDArray newKeys, NDArray newValues) {
        NDIndex rows = new NDIndex("{}:{}", at, at + newKeys.getShape().get(0));
        keys.set(rows, newKeys);
        values.set(rows, newValues);
    }

    /** The first {@code length} keys, {@code (length, kvHeads, headDim)}, as a view owned by {@code step}. */
    NDArray keys(NDManager step, int length) {
        return keys.get(step, new NDIndex(":{}", length));
    }

    /** The first {@code length} values, {@code (length, kvHeads, headDim)}, as a view owned by {@code step}. */
    NDArray values(NDManager step, int length) {
        return values.get(step, new NDIndex(":{}", length));
    }

    long bytes() {
        return 2L * capacity * kvHeads * headDim * type.getNumOfBytes();
    }

    @Override
    public void close() {
        manager.close();
        keys = null;
        values = null;
        capacity = 0;
    }
}
