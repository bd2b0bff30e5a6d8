package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.switchboard.spi.Expert;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The experts of one MoE layer as one immutable unit: router rows, experts, which are disabled and
 * their selection bias. Changing any of it means building a new instance (copy-on-write), so a step
 * that read it once sees one consistent set.
 *
 * @param gate router weight {@code [numExperts, hidden]} (Hugging Face layout: row e scores expert e)
 * @param experts one per router row
 * @param disabled {@code disabled[e]}: expert e is masked out of routing
 * @param selectionBias additive per-expert bias used for selection only (0 for none)
 */
public record LayerExperts(NDArray gate, List<Expert> experts, boolean[] disabled, float[] selectionBias) {

    public LayerExperts {
        Objects.requireNonNull(gate, "gate");
        experts = List.copyOf(experts);
        disabled = disabled.clone();
        selectionBias = selectionBias.clone();
        long rows = gate.getShape().get(0);
        if (gate.getShape().dimension() != 2 || rows != experts.size()
                || disabled.length != experts.size() || selectionBias.length != experts.size()) {
            throw new IllegalArgumentException("a layer needs one gate row, disabled flag and bias per expert: found "
                    + experts.size() + " experts, gate " + gate.getShape() + ", " + disabled.length + " flags, "
                    + selectionBias.length + " biases");
        }
    }

    /** Every expert enabled, no bias. */
    public static LayerExperts of(NDArray gate, List<Expert> experts) {
        return new LayerExperts(gate, experts, new boolean[experts.size()], new float[experts.size()]);
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

    /** This layer with expert {@code e} enabled or disabled. */
    public LayerExperts withDisabled(int e, boolean value) {
        boolean[] next = disabled.clone();
        next[e] = value;
        return new LayerExperts(gate, experts, next, selectionBias);
    }

    /** This layer with expert {@code e} replaced (the caller closes the old one once no step uses it). */
    public LayerExperts withExpert(int e, Expert expert) {
        List<Expert> next = new java.util.ArrayList<>(experts);
        next.set(e, Objects.requireNonNull(expert, "expert"));
        return new LayerExperts(gate, next, disabled, selectionBias);
    }

    /**
     * This layer with router row {@code e} replaced by {@code gateRow [hidden]}. The new gate is a new tensor in the old
     * gate's manager; the caller closes the old gate once no step uses it.
     */
    public LayerExperts withGateRow(int e, float[] gateRow) {
        Objects.checkIndex(e, experts.size());
        long hidden = gate.getShape().get(1);
        if (gateRow.length != hidden) {
            throw new IllegalArgumentException("a gate row must have hidden_size " + hidden + " entries, found " + gateRow.length);
        }
        NDArray nextGate = gate.duplicate(); // (numExperts, hidden), in the gate's manager
        try (NDManager scratch = gate.getManager().newSubManager()) {
            NDArray row = scratch.create(gateRow).toType(gate.getDataType(), false); // (hidden)
            nextGate.set(new NDIndex(e), row); // in place in the copy, never set(Buffer) (CONTRIBUTING)
        }
        return new LayerExperts(nextGate, experts, disabled, selectionBias);
    }

    /** This layer with expert {@code e}'s selection bias set to {@code bias}. */
    public LayerExperts withSelectionBias(int e, float bias) {
        float[] next = selectionBias.clone();
        next[e] = bias;
        return new LayerExperts(gate, experts, disabled, next);
    }

    /**
     * This layer with one more expert, last: its router row {@code gateRow [hidden]} appended to the gate
     * and its selection bias. The new gate is a new tensor in the old gate's manager; the caller closes the
     * old gate once no step uses it.
     *
     * @throws IllegalArgumentException when {@code gateRow} does not have {@code hidden} entries
     */
    public LayerExperts withAddedExpert(Expert expert, float[] gateRow, float bias) {
        Objects.requireNonNull(expert, "expert");
        long hidden = gate.getShape().get(1);
        if (gateRow.length != hidden) {
            throw new IllegalArgumentException("a gate row must have hidden_size " + hidden + " entries, found " + gateRow.length);
        }
        NDArray nextGate;
        try (NDManager scratch = gate.getManager().newSubManager()) {
            NDArray row = scratch.create(gateRow).reshape(1, hidden).toType(gate.getDataType(), false); // (1, hidden)
            nextGate = NDArrays.concat(new NDList(gate, row), 0); // (numExperts + 1, hidden)
            nextGate.attach(gate.getManager());
        }
        List<Expert> nextExperts = new ArrayList<>(experts);
        nextExperts.add(expert);
        boolean[] nextDisabled = java.util.Arrays.copyOf(disabled, disabled.length + 1);
        float[] nextBias = java.util.Arrays.copyOf(selectionBias, selectionBias.length + 1);
        nextBias[nextBias.length - 1] = bias;
        return new LayerExperts(nextGate, nextExperts, nextDisabled, nextBias);
    }

    /**
     * This layer without expert {@code e}: its gate row, flag and bias go, later experts move down one
     * index. The new gate is a new tensor; the caller closes the old gate and the expert once no step
     * uses them.
     */
    public LayerExperts withoutExpert(int e) {
        Objects.checkIndex(e, experts.size());
        if (experts.size() == 1) {
            throw new IllegalArgumentException("cannot remove the only expert of a layer");
        }
        long[] keep = new long[experts.size() - 1];
        List<Expert> nextExperts = new ArrayList<>(keep.length);
        boolean[] nextDisabled = new boolean[keep.length];
        float[] nextBias = new float[keep.length];
        for (int from = 0, to = 0; from < experts.size(); from++) {
            if (from != e) {
                keep[to] = from;
                nextExperts.add(experts.get(from));
                nextDisabled[to] = disabled[from];
                nextBias[to] = selectionBias[from];
                to++;
            }
        }
        NDArray nextGate;
        try (NDManager scratch = gate.getManager().newSubManager()) {
            nextGate = gate.get(new NDIndex("{}", scratch.create(keep))); // (numExperts - 1, hidden)
            nextGate.attach(gate.getManager());
        }
        return new LayerExperts(nextGate, nextExperts, nextDisabled, nextBias);
    }
}
