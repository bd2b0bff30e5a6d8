package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys and values of a serving step, in the model's paged {@link KvBlockPool}: each layer writes its new
 * keys once ({@link CacheRows#writeRows}), each prompt reads its whole cache back, and the decode inputs read
 * theirs padded to the longest in one gather. Prompts attend one by one.
 */
final class PagedKeyValues implements KeyValueStore {

    private final KvBlockPool cache;
    private final CacheRows rows;
    private final NDManager step;
    private final List<PrefillGroup> prefills;

    PagedKeyValues(KvBlockPool cache, StepBatch batch, NDManager step) {
        this.cache = cache;
        this.rows = CacheRows.of(batch, step);
        this.step = step;
        List<PrefillGroup> groups = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (batch.count(i) > 1) {
                groups.add(new PrefillGroup(i, 1));
            }
        }
        this.prefills = List.copyOf(groups);
    }

    @Override
    public List<PrefillGroup> prefillGroups() {
        return prefills;
    }

    @Override
    public int decodeCount() {
        return rows.decodeCount();
    }

    @Override
    public NDArray decodeQueryRows() {
        return rows.decodeQueryRows();
    }

    @Override
    public NDArray decodeMask() {
        return rows.decodeMask();
    }

    @Override
    public NDArray order() {
        return rows.order();
    }

    @Override
    public LayerHistory write(int layer, NDArray newKeys, NDArray newValues) {
        NDArray keys = cache.keys(layer); // (rows, kvHeads, headDim)
        NDArray values = cache.values(layer); // (rows, kvHeads, headDim)
        NDIndex writeRows = new NDIndex("{}", rows.writeRows());
        keys.set(writeRows, newKeys);
        values.set(writeRows, newValues);
        return new LayerHistory() {
            @Override
            public NDArray[] prefill(PrefillGroup group) {
                NDIndex sequence = new NDIndex("{}", rows.sequenceRows(group.first()));
                return new NDArray[] {keys.get(step, sequence).expandDims(0), // (1, length, kvHeads, hd)
                        values.get(step, sequence).expandDims(0)};
            }

            @Override
            public NDArray[] decode() {
                long kvHeads = keys.getShape().get(1);
                long headDim = keys.getShape().get(2);
                NDIndex decodeRows = new NDIndex("{}", rows.decodeRows());
                int decode = rows.decodeCount();
                int length = rows.decodeLength();
                return new NDArray[] {keys.get(step, decodeRows).reshape(decode, length, kvHeads, headDim),
                        values.get(step, decodeRows).reshape(decode, length, kvHeads, headDim)};
            }
        };
    }
}
