package dev.switchboard.runtime.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Every MoE layer's experts: the live, immutable table a {@link MoeModel} routes through. A forward
 * step reads the model's table once and uses it throughout; {@link MoeModel#swapExperts} installs a
 * new one for the following steps.
 *
 * @param layers one entry per decoder layer
 */
public record ExpertTable(List<LayerExperts> layers) {

    public ExpertTable {
        layers = List.copyOf(layers);
    }

    public LayerExperts layer(int index) {
        return layers.get(index);
    }

    /** This table with layer {@code index} replaced. */
    public ExpertTable withLayer(int index, LayerExperts layer) {
        List<LayerExperts> next = new ArrayList<>(layers);
        next.set(index, layer);
        return new ExpertTable(next);
    }

    /** This table with expert {@code expert} of layer {@code layer} disabled or enabled. */
    public ExpertTable withDisabled(int layer, int expert, boolean disabled) {
        return withLayer(layer, layers.get(layer).withDisabled(expert, disabled));
    }
}
