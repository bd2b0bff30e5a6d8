package dev.switchboard.runtime.model;

import java.nio.ByteBuffer;

/**
 * What every layer's attention shares in a batch-1 decode step on the host ({@link HostDecode}): the new token's
 * position, the pool row of every position of its sequence (the new one last), the rotary tables of that position,
 * and the paged cache, whose layers are read and written in place.
 *
 * @param rows {@code rows[p]}: the {@link KvBlockPool} row of position {@code p}, for {@code p} in {@code [0, position]}
 * @param ropeTables {@code {cos, sin}} of the position ({@link RotaryEmbedding#hostTables})
 */
record HostDecodeStep(int position, int[] rows, RotaryEmbedding rope, float[][] ropeTables, KvBlockPool cache) {

    /** Layer {@code layer}'s keys {@code (rows, kvHeads, headDim)} in place. */
    ByteBuffer keys(int layer) {
        return HostMemory.view(cache.keys(layer));
    }

    /** Layer {@code layer}'s values {@code (rows, kvHeads, headDim)} in place. */
    ByteBuffer values(int layer) {
        return HostMemory.view(cache.values(layer));
    }
}
