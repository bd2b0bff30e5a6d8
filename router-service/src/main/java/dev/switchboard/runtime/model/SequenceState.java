package dev.switchboard.runtime.model;

import dev.switchboard.runtime.routing.RoutingOverride;
import java.util.Arrays;

/**
 * One sequence being generated: its length and its block table in the model's {@link KvBlockPool}
 * (the same blocks in every layer), grown as the sequence grows. Created by {@link MoeModel#newSequence()};
 * {@link #close()} gives the blocks back.
 *
 * <p>Not thread-safe: a sequence may take part in one forward step at a time.
 */
public final class SequenceState implements AutoCloseable {

    private final KvBlockPool pool;
    private final int maxLength;
    private final RoutingOverride routingOverride;
    private int[] blocks = new int[4];
    private int blockCount;
    private int length;
    private boolean closed;

    SequenceState(KvBlockPool pool, int maxLength, RoutingOverride routingOverride) {
        this.pool = pool;
        this.maxLength = maxLength;
        this.routingOverride = routingOverride;
    }

    /** This sequence's own routing ("what if"), applied to its tokens only; null to route as the model does. */
    public RoutingOverride routingOverride() {
        return routingOverride;
    }

    /** Tokens already in the cache: the position the next token will take. */
    public int length() {
        return length;
    }

    /** Native bytes of the cache blocks this sequence holds (all layers, keys and values). */
    public long cacheBytes() {
        return blockCount * pool.bytesPerBlock();
    }

    /** The pool row holding position {@code position} of this sequence, in every layer. */
    long row(int position) {
        return (long) blocks[position / KvBlockPool.BLOCK] * KvBlockPool.BLOCK + position % KvBlockPool.BLOCK;
    }

    /** Makes the cache hold {@code newLength} positions. Must not be called while holding the pool's step lock. */
    void reserve(int newLength) {
        requireOpen();
        if (newLength > maxLength) {
            throw new IllegalStateException("sequence would reach " + newLength + " positions but the model supports "
                    + maxLength + " (max_position_embeddings)");
        }
        int needed = (newLength + KvBlockPool.BLOCK - 1) / KvBlockPool.BLOCK;
        if (needed > blockCount) {
            if (needed > blocks.length) {
                blocks = Arrays.copyOf(blocks, Math.max(needed, 2 * blocks.length));
            }
            pool.allocate(needed - blockCount, blocks, blockCount);
            blockCount = needed;
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
            pool.release(blocks, blockCount);
            blockCount = 0;
        }
    }
}
