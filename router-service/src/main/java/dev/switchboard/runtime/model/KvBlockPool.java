package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The key/value cache of every sequence of one model, paged as in vLLM's PagedAttention (Kwon et al.
 * 2023): per layer one keys and one values tensor {@code (rows, kvHeads, headDim)}, handed out to
 * sequences in blocks of {@link #BLOCK} rows. Position p of a sequence lives in row
 * {@code block[p / BLOCK]·BLOCK + p % BLOCK} (see {@link SequenceState#row}), so a step writes every new
 * key with one index-put per layer and a decode step gathers all its sequences' caches with one
 * index-select per layer, whatever the batch size.
 *
 * <p>Block 0 is never handed out: its rows stay zero and pad the shorter sequences of a batched gather
 * (finite values, so a masked-out score times them is exactly 0). The tensors grow by doubling (one copy
 * of the filled rows) and are freed when the last block is returned.
 *
 * <p><b>Threads.</b> Steps of disjoint sequences may run concurrently: each holds {@link #stepLock()}
 * while it reads or writes the tensors; allocating, growing and releasing take the exclusive side, so
 * a step must reserve its blocks before it takes the step lock.
 */
final class KvBlockPool implements AutoCloseable {

    /** Positions per block. */
    static final int BLOCK = 16;

    /** Blocks allocated when the first sequence needs one (block 0 included): room for 256 positions. */
    static final int INITIAL_BLOCKS = 1 + 256 / BLOCK;

    private final NDManager parent;
    private final int layers;
    private final int kvHeads;
    private final int headDim;
    private final DataType type;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private NDManager manager; // null while no block is handed out
    private NDArray[] keys; // per layer (blocks·BLOCK, kvHeads, headDim)
    private NDArray[] values; // per layer (blocks·BLOCK, kvHeads, headDim)
    private int blocks;
    private int[] free = new int[0]; // a stack of free block ids
    private int freeCount;
    private boolean closed;

    KvBlockPool(NDManager parent, int layers, int kvHeads, int headDim, DataType type) {
        this.parent = parent;
        this.layers = layers;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.type = type;
    }

    /** Held (shared) by a step while it uses {@link #keys} and {@link #values}. */
    Lock stepLock() {
        return lock.readLock();
    }

    /** Hands out {@code count} blocks, writing their ids to {@code into[from ..]}; grows the tensors if needed. */
    void allocate(int count, int[] into, int from) {
        lock.writeLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the model is closed; its KV cache has been freed");
            }
            if (manager == null) {
                manager = parent.newSubManager();
                keys = new NDArray[layers];
                values = new NDArray[layers];
                grow(INITIAL_BLOCKS);
            }
            if (freeCount < count) {
                grow(Math.max(2 * blocks, blocks + count - freeCount));
            }
            for (int i = 0; i < count; i++) {
                into[from + i] = free[--freeCount];
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Takes back blocks {@code ids[0 .. count)}; frees the tensors once no block is handed out. */
    void release(int[] ids, int count) {
        lock.writeLock().lock();
        try {
            if (closed || manager == null) {
                return;
            }
            for (int i = 0; i < count; i++) {
                free[freeCount++] = ids[i];
            }
            if (freeCount == blocks - 1) {
                manager.close();
                manager = null;
                keys = null;
                values = null;
                blocks = 0;
                freeCount = 0;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Layer {@code layer}'s keys, {@code (rows, kvHeads, headDim)}; valid while the step lock is held. */
    NDArray keys(int layer) {
        return keys[layer];
    }

    /** Layer {@code layer}'s values, {@code (rows, kvHeads, headDim)}; valid while the step lock is held. */
    NDArray values(int layer) {
        return values[layer];
    }

    /** Native bytes one block takes over all layers, keys and values. */
    long bytesPerBlock() {
        return 2L * layers * BLOCK * kvHeads * headDim * type.getNumOfBytes();
    }

    private void grow(int nextBlocks) {
        Shape shape = new Shape((long) nextBlocks * BLOCK, kvHeads, headDim);
        NDIndex filled = new NDIndex(":{}", (long) blocks * BLOCK);
        for (int l = 0; l < layers; l++) {
            NDArray grownKeys = manager.zeros(shape, type);
            NDArray grownValues = manager.zeros(shape, type);
            if (blocks > 0) {
                grownKeys.set(filled, keys[l]);
                grownValues.set(filled, values[l]);
                keys[l].close();
                values[l].close();
            }
            keys[l] = grownKeys;
            values[l] = grownValues;
        }
        int[] nextFree = new int[nextBlocks];
        System.arraycopy(free, 0, nextFree, 0, freeCount);
        for (int id = nextBlocks - 1; id >= Math.max(1, blocks); id--) { // lowest ids on top of the stack
            nextFree[freeCount++] = id;
        }
        free = nextFree;
        blocks = nextBlocks;
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closed = true;
            if (manager != null) {
                manager.close();
                manager = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
