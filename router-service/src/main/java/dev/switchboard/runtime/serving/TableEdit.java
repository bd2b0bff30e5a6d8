package dev.switchboard.runtime.serving;

import dev.switchboard.runtime.model.ExpertTable;
import dev.switchboard.runtime.model.LayerExperts;
import dev.switchboard.spi.Expert;

/**
 * One change to a model's expert table, built up inside {@link ExpertTableEditor#apply}: each call makes the next
 * table copy-on-write from the one before, and nothing is live until {@code apply} installs the result whole. Reads
 * ({@link #layer}) see the edit so far.
 */
public final class TableEdit {

    private ExpertTable table;

    TableEdit(ExpertTable live) {
        this.table = live;
    }

    ExpertTable table() {
        return table;
    }

    public int layers() {
        return table.layers().size();
    }

    /** Layer {@code l} with this edit's changes so far. */
    public LayerView layer(int l) {
        return ExpertTableEditor.view(table.layer(l));
    }

    /** Masks expert {@code e} of layer {@code l} out of routing, or lets routing choose it again. */
    public void setDisabled(int l, int e, boolean disabled) {
        table = table.withDisabled(l, e, disabled);
    }

    /** Puts {@code expert} in place of expert {@code e} of layer {@code l}; the old one is closed when applied. */
    public void replace(int l, int e, Expert expert) {
        table = table.withLayer(l, table.layer(l).withExpert(e, expert));
    }

    /**
     * Adds {@code expert} as the last expert of layer {@code l}, with its router row {@code gateRow [hidden]} and
     * selection bias; returns its index.
     */
    public int add(int l, Expert expert, float[] gateRow, float selectionBias) {
        LayerExperts grown = table.layer(l).withAddedExpert(expert, gateRow, selectionBias);
        table = table.withLayer(l, grown);
        return grown.size() - 1;
    }

    /** Gives expert {@code e} of layer {@code l} the router row {@code gateRow [hidden]}; the old gate is closed when applied. */
    public void setGateRow(int l, int e, float[] gateRow) {
        table = table.withLayer(l, table.layer(l).withGateRow(e, gateRow));
    }

    /** Sets the selection bias of expert {@code e} of layer {@code l}. */
    public void setSelectionBias(int l, int e, float bias) {
        table = table.withLayer(l, table.layer(l).withSelectionBias(e, bias));
    }

    /**
     * Takes this very {@code expert} out of layer {@code l} (later experts move down one index); returns the index
     * it had. It is closed when applied.
     *
     * @throws IllegalArgumentException when the layer does not hold it
     */
    public int remove(int l, Expert expert) {
        int at = layer(l).indexOf(expert);
        table = table.withLayer(l, table.layer(l).withoutExpert(at));
        return at;
    }
}
