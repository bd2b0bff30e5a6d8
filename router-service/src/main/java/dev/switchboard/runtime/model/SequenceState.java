package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * One sequence being generated: its length and one {@link KvCache} per layer, allocated lazily and
 * grown in chunks. Created by {@link MoeModel#newSequence()}; {@link #close()} frees the caches.
 *
 * <p>Not thread-safe: a sequence may take part in one forward step at a time.
 */
public final class SequenceState implements AutoCloseable {

    private final NDManager manager;
    private final KvCache[] caches;
    private int length;
    private boolean closed;

    SequenceState(NDManager parent, int layers, int kvHeads, int headDim, DataType type, int maxLength) {
        this.manager = parent.newSubManager();
        this.caches = new KvCache[layers];
        for (int l = 0; l < layers; l++) {
            caches[l] = new KvCache(manager, kvHeads, headDim, type, maxLength);
        }
    }

    /** Tokens already in the cache: the position the next token will take. */
    public int length() {
        return length;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Native bytes held by the caches. */
    public long cacheBytes() {
        long bytes = 0;
        for (KvCache cache : caches) {
            bytes += cache.bytes();
        }
        return bytes;
    }

    KvCache cache(int layer) {
        return caches[layer];
    }

    /** Makes every layer's cache hold {@code newLength} positions. */
    void reserve(int newLength) {
        requireOpen();
        for (KvCache cache : caches) {
            cache.ensureCapacity(newLength, length);
        }
    }

    /** Commits {@code tokens} new positions once a step has written them. */
    void advance(int tokens) {
        length += tokens;
    }

    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("sequence is closed; its KV cache has been freed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (KvCache cache : caches) {
                cache.close();
            }
            manager.close();
        }
    }
}
