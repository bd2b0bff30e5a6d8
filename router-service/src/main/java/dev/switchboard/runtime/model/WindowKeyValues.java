package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The keys and values of a training step: every input is a whole window from position 0, so a window's history
 * is exactly its own new keys and values and nothing is kept after the step. All windows have one length and
 * attend as one group.
 */
final class WindowKeyValues implements KeyValueStore {

    private final int windows;
    private final int window;

    WindowKeyValues(StepBatch batch) {
        this.windows = batch.size();
        this.window = batch.count(0);
    }

    @Override
    public List<PrefillGroup> prefillGroups() {
        return List.of(new PrefillGroup(0, windows));
    }

    @Override
    public int decodeCount() {
        return 0;
    }

    @Override
    public NDArray decodeQueryRows() {
        return null;
    }

    @Override
    public NDArray decodeMask() {
        return null;
    }

    @Override
    public NDArray order() {
        return null;
    }

    @Override
    public LayerHistory write(int layer, NDArray keys, NDArray values) {
        long kvHeads = keys.getShape().get(1);
        long headDim = keys.getShape().get(2);
        return new LayerHistory() {
            @Override
            public NDArray[] prefill(PrefillGroup group) {
                return new NDArray[] {keys.reshape(windows, window, kvHeads, headDim), // (windows, window, kvHeads, hd)
                        values.reshape(windows, window, kvHeads, headDim)};
            }

            @Override
            public NDArray[] decode() {
                throw new IllegalStateException("training windows have no decode inputs");
            }
        };
    }
}
