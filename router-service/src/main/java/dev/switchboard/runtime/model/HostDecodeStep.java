package dev.switchboard.runtime.model;

import java.nio.ByteBuffer;

/**
 * What every layer's attention shares in a decode step on the host ({@link HostDecode}): for each of the step's
 * sequences, which add one token each, the new token's position, the pool row of every position of that sequence
 * (the new one last) and the rotary tables of that position; and the paged cache, whose layers are read and written
 * in place.
 *
 * @param positions {@code positions[s]}: the position of sequence {@code s}'s new token
 * @param rows {@code rows[s][p]}: the {@link KvBlockPool} row of sequence {@code s}'s position {@code p}, for
 *     {@code p} in {@code [0, positions[s]]}
 * @param ropeTables {@code ropeTables[s]}: {@code {cos, sin}} of {@code positions[s]} ({@link RotaryEmbedding#hostTables})
 */
record HostDecodeStep(int[] positions, int[][] rows, RotaryEmbedding rope, float[][][] ropeTables, KvBlockPool cache) {

    /** Number of sequences (and of new tokens) in the step. */
    int size() {
        return positions.length;
    }

    /** Layer {@code layer}'s keys {@code (rows, kvHeads, headDim)} in place. */
    ByteBuffer keys(int layer) {
        return HostMemory.view(cache.keys(layer));
    }

    /** Layer {@code layer}'s values {@code (rows, kvHeads, headDim)} in place. */
    ByteBuffer values(int layer) {
        return HostMemory.view(cache.values(layer));
    }
}
