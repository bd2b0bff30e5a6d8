package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import dev.switchboard.spi.Expert;
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
}
