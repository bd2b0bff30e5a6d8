package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;

/**
 * What every layer's attention shares in one step: the token layout, the rotary embedding with the step's
 * cos/sin tables {@code 2 × (tokens, 1, headDim)}, and where keys and values are kept.
 */
record AttentionStep(StepBatch batch, RotaryEmbedding rope, NDArray[] ropeTables, KeyValueStore store) {}
