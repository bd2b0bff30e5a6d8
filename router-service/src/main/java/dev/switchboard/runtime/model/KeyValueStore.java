package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Where one step's attention keeps the keys and values of its new tokens and reads each input's history back:
 * the paged cache while serving ({@link PagedKeyValues}), nothing beyond the step while training whole windows
 * ({@link WindowKeyValues}). Built once per step and shared by every layer.
 */
interface KeyValueStore {

    /**
     * Inputs with several new tokens (prompts, training windows), in token order, grouped so that each group's
     * inputs attend together: consecutive inputs of one start and one length.
     */
    List<PrefillGroup> prefillGroups();

    /** Inputs with one new token (decode), attending together in one batched call; 0 for none. */
    int decodeCount();

    /** {@code (decode)}: the decode inputs' token rows in the step, or null when every input decodes (rows 0 ..). */
    NDArray decodeQueryRows();

    /** {@code (decode, 1, 1, decodeLength)}: 0 within each sequence, −∞ past its end; null when none is shorter. */
    NDArray decodeMask();

    /**
     * {@code (tokens)}: for each token of the step, its row in {@code concat(prefill outputs in input order,
     * decode outputs)}; null when that is already token order.
     */
    NDArray order();

    /** Stores layer {@code layer}'s new keys and values {@code (tokens, kvHeads, headDim)}; returns what it reads. */
    LayerHistory write(int layer, NDArray keys, NDArray values);

    /** Consecutive inputs {@code first .. first + inputs} with the same start and number of new tokens. */
    record PrefillGroup(int first, int inputs) {}

    /** One layer's keys and values after the step's write. */
    interface LayerHistory {

        /** Keys and values {@code (inputs, start + count, kvHeads, headDim)} of a prefill group's histories. */
        NDArray[] prefill(PrefillGroup group);

        /** Keys and values {@code (decode, decodeLength, kvHeads, headDim)} of the decode group, padded. */
        NDArray[] decode();
    }
}
