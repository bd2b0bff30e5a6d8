package dev.switchboard.runtime.serving;

import dev.switchboard.spi.Expert;
import java.util.List;

/**
 * The experts of one MoE layer as a step sees them, read-only: in router-row order, which are masked out of
 * routing, and each one's selection bias.
 */
public record LayerView(List<Expert> experts, boolean[] disabled, float[] selectionBias) {

    public LayerView {
        experts = List.copyOf(experts);
        disabled = disabled.clone();
        selectionBias = selectionBias.clone();
    }

    public int size() {
        return experts.size();
    }

    public Expert expert(int e) {
        return experts.get(e);
    }

    public boolean isDisabled(int e) {
        return disabled[e];
    }

    @Override
    public boolean[] disabled() {
        return disabled.clone();
    }

    @Override
    public float[] selectionBias() {
        return selectionBias.clone();
    }

    /** How many experts routing may choose. */
    public int enabledCount() {
        int count = 0;
        for (boolean off : disabled) {
            count += off ? 0 : 1;
        }
        return count;
    }

    /** The index of this very expert object in the layer. */
    public int indexOf(Expert expert) {
        for (int e = 0; e < experts.size(); e++) {
            if (experts.get(e) == expert) {
                return e;
            }
        }
        throw new IllegalArgumentException("the expert is not in this layer");
    }
}
