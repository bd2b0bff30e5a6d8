package dev.switchboard.runtime.serving;

import dev.switchboard.runtime.model.LayerExperts;
import dev.switchboard.spi.Expert;
import java.util.List;

/**
 * The experts of one MoE layer as a step sees them, read-only: in router-row order, which are masked out of
 * routing, and each one's selection bias. A view of the runtime's immutable layer; changes go through a
 * {@link TableEdit}.
 */
public final class LayerView {

    private final LayerExperts layer;

    LayerView(LayerExperts layer) {
        this.layer = layer;
    }

    public int size() {
        return layer.size();
    }

    public Expert expert(int e) {
        return layer.expert(e);
    }

    public List<Expert> experts() {
        return layer.experts();
    }

    public boolean isDisabled(int e) {
        return layer.isDisabled(e);
    }

    /** A copy of the flags: {@code [e]} is whether expert e is masked out of routing. */
    public boolean[] disabled() {
        return layer.disabled();
    }

    /** A copy of the per-expert selection biases. */
    public float[] selectionBias() {
        return layer.selectionBias();
    }

    /** How many experts routing may choose. */
    public int enabledCount() {
        int count = 0;
        for (boolean off : layer.disabled()) {
            count += off ? 0 : 1;
        }
        return count;
    }

    /** The index of this very expert object in the layer. */
    public int indexOf(Expert expert) {
        for (int e = 0; e < layer.size(); e++) {
            if (layer.expert(e) == expert) {
                return e;
            }
        }
        throw new IllegalArgumentException("the expert is not in this layer");
    }
}
