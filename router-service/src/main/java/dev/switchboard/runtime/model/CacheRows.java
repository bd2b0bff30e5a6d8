package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Where one step's keys and values live in the {@link KvBlockPool}, computed once per step and shared by
 * every layer: the row each new token is written to and, per input, the rows its attention reads.
 *
 * <p>Inputs with one new token (decode) form one group that attends in a single batched call: their
 * caches are gathered padded to the longest, {@code (decode, decodeLength)} rows, with an additive mask
 * that is −∞ past each sequence's own length. Inputs with several new tokens (prefill) attend one by one.
 */
final class CacheRows {

    private final NDArray writeRows; // (tokens)
    private final int[] decodeInputs; // input index of each decode-group member
    private final NDArray decodeRows; // (decode·decodeLength), padded with row 0; null without a decode group
    private final NDArray decodeQueryRows; // (decode) token rows of the decode group; null when it is the whole step
    private final NDArray decodeMask; // (decode, 1, 1, decodeLength); null when every length is decodeLength
    private final int decodeLength;
    private final NDArray[] sequenceRows; // per prefill input: (length) rows of its whole cache
    private final NDArray order; // (tokens) rows of [prefill outputs..., decode outputs] in token order; null if not mixed

    private CacheRows(NDArray writeRows, int[] decodeInputs, NDArray decodeRows, NDArray decodeQueryRows,
            NDArray decodeMask, int decodeLength, NDArray[] sequenceRows, NDArray order) {
        this.writeRows = writeRows;
        this.decodeInputs = decodeInputs;
        this.decodeRows = decodeRows;
        this.decodeQueryRows = decodeQueryRows;
        this.decodeMask = decodeMask;
        this.decodeLength = decodeLength;
        this.sequenceRows = sequenceRows;
        this.order = order;
    }

    /** The rows of {@code batch} after every sequence reserved its new positions; arrays live in {@code step}. */
    static CacheRows of(StepBatch batch, NDManager step) {
        long[] write = new long[batch.tokens()];
        int decode = 0;
        int decodeLength = 0;
        for (int i = 0; i < batch.size(); i++) {
            SequenceState sequence = batch.sequence(i);
            for (int j = 0; j < batch.count(i); j++) {
                write[batch.offset(i) + j] = sequence.row(batch.start(i) + j);
            }
            if (batch.count(i) == 1) {
                decode++;
                decodeLength = Math.max(decodeLength, batch.start(i) + 1);
            }
        }
        int[] decodeInputs = new int[decode];
        long[] decodeRows = new long[decode * decodeLength];
        float[] mask = new float[decode * decodeLength];
        boolean ragged = false;
        NDArray[] sequenceRows = new NDArray[batch.size()];
        long[] order = new long[batch.tokens()];
        int prefillRows = batch.tokens() - decode;
        int nextPrefillRow = 0;
        for (int i = 0, d = 0; i < batch.size(); i++) {
            SequenceState sequence = batch.sequence(i);
            int length = batch.start(i) + batch.count(i);
            if (batch.count(i) == 1) {
                decodeInputs[d] = i;
                for (int p = 0; p < decodeLength; p++) {
                    decodeRows[d * decodeLength + p] = p < length ? sequence.row(p) : 0; // block 0 stays zero
                    mask[d * decodeLength + p] = p < length ? 0f : Float.NEGATIVE_INFINITY;
                }
                ragged |= length < decodeLength;
                order[batch.offset(i)] = prefillRows + d;
                d++;
            } else {
                long[] rows = new long[length];
                for (int p = 0; p < length; p++) {
                    rows[p] = sequence.row(p);
                }
                sequenceRows[i] = step.create(rows);
                for (int j = 0; j < batch.count(i); j++) {
                    order[batch.offset(i) + j] = nextPrefillRow++;
                }
            }
        }
        boolean mixed = decode > 0 && decode < batch.size();
        long[] queryRows = new long[decode];
        for (int d = 0; d < decode; d++) {
            queryRows[d] = batch.offset(decodeInputs[d]);
        }
        return new CacheRows(step.create(write), decodeInputs,
                decode == 0 ? null : step.create(decodeRows),
                mixed ? step.create(queryRows) : null,
                ragged ? step.create(mask, new Shape(decode, 1, 1, decodeLength)) : null,
                decodeLength, sequenceRows, mixed ? step.create(order) : null);
    }

    /** {@code (tokens)}: the pool row each new token's key and value go to. */
    NDArray writeRows() {
        return writeRows;
    }

    /** Inputs with one new token; they attend together. */
    int decodeCount() {
        return decodeInputs.length;
    }

    /** {@code (decode·decodeLength)}: the rows of the decode group's caches, padded with zero rows. */
    NDArray decodeRows() {
        return decodeRows;
    }

    /** {@code (decode)}: the decode group's token rows in the step, or null when every input decodes (rows 0 ..). */
    NDArray decodeQueryRows() {
        return decodeQueryRows;
    }

    /** {@code (decode, 1, 1, decodeLength)}: 0 within each sequence, −∞ past its end; null when none is shorter. */
    NDArray decodeMask() {
        return decodeMask;
    }

    int decodeLength() {
        return decodeLength;
    }

    /** {@code (length)}: the rows of prefill input {@code input}'s cache after this step; null for a decode input. */
    NDArray sequenceRows(int input) {
        return sequenceRows[input];
    }

    /**
     * {@code (tokens)}: for each token of the step, its row in {@code concat(prefill outputs in input order,
     * decode outputs)}; null unless the step mixes both kinds.
     */
    NDArray order() {
        return order;
    }
}
