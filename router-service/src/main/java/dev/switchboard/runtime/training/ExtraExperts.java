package dev.switchboard.runtime.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.runtime.model.ExpertTable;
import dev.switchboard.runtime.model.LayerExperts;
import dev.switchboard.runtime.model.TrainingForward;
import dev.switchboard.spi.Expert;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * What a {@link TrainableMixtral} routes through besides its checkpoint experts, as the serving table holds it after
 * the lifecycle's edits: experts added to every layer (a plugin's contributed expert, built by the caller and frozen:
 * their weights are not parameters), and the disabled flags and selection biases of every expert. Once an expert is
 * added, each layer's router is a parameter of its own, {@code (experts, hidden)}: the checkpoint's rows copied, then
 * the added rows. It is applied to each pass's table as a {@link TrainingForward.TableExtension}, as a differentiable
 * view, so the loss reaches the added rows as it reaches the checkpoint's. (A {@code (1, hidden)} parameter per added
 * row was tried first: PyTorch refuses the in-place row update on it, "a view of a leaf Variable that requires grad".)
 */
final class ExtraExperts implements TrainingForward.TableExtension, AutoCloseable {

    private final int layers;
    private final int checkpointExperts;
    private final NDManager manager;
    private final IntFunction<NDArray> checkpointGate;
    private final List<List<Expert>> added = new ArrayList<>(); // per added expert, one per layer
    private final List<NDArray> gates = new ArrayList<>(); // per layer (experts, hidden), once an expert is added
    private boolean[][] disabled; // [layer][expert]
    private float[][] selectionBias; // [layer][expert]

    /** @param checkpointGate layer's checkpoint router parameter {@code (checkpointExperts, hidden)} */
    ExtraExperts(int layers, int checkpointExperts, NDManager manager, IntFunction<NDArray> checkpointGate) {
        this.layers = layers;
        this.checkpointExperts = checkpointExperts;
        this.manager = manager;
        this.checkpointGate = checkpointGate;
        this.disabled = new boolean[layers][checkpointExperts];
        this.selectionBias = new float[layers][checkpointExperts];
    }

    int experts() {
        return checkpointExperts + added.size();
    }

    /** Adds {@code perLayer} (owned from now on) with router rows {@code rows [layer][hidden]}; returns its index. */
    int add(List<Expert> perLayer, float[][] rows, float bias) {
        if (perLayer.size() != layers || rows.length != layers) {
            throw new IllegalArgumentException("an added expert needs one expert and one router row per layer (" + layers
                    + "), got " + perLayer.size() + " experts and " + rows.length + " rows");
        }
        for (int l = 0; l < layers; l++) {
            NDArray before = gates.size() > l ? gates.get(l) : checkpointGate.apply(l); // (experts - 1, hidden)
            long hidden = before.getShape().get(1);
            if (rows[l].length != hidden) {
                throw new IllegalArgumentException("layer " + l + ": a router row needs " + hidden + " values, got " + rows[l].length);
            }
            float[] values = Arrays.copyOf(before.toFloatArray(), (int) ((experts() + 1) * hidden));
            System.arraycopy(rows[l], 0, values, (int) (experts() * hidden), rows[l].length);
            NDArray gate;
            // A copy in PyTorch's own memory, never the Java buffer create() wraps (CONTRIBUTING, Java memory).
            try (NDArray staged = manager.create(values, new Shape(experts() + 1, hidden))) {
                gate = staged.duplicate(); // (experts, hidden)
            }
            gate.setRequiresGradient(true);
            if (gates.size() > l) {
                gates.set(l, gate).close();
            } else {
                gates.add(gate);
            }
        }
        added.add(List.copyOf(perLayer));
        for (int l = 0; l < layers; l++) {
            disabled[l] = Arrays.copyOf(disabled[l], experts());
            selectionBias[l] = Arrays.copyOf(selectionBias[l], experts());
            selectionBias[l][experts() - 1] = bias;
        }
        return experts() - 1;
    }

    void setDisabled(int layer, int expert, boolean value) {
        disabled[layer][expert] = value;
    }

    void setSelectionBias(int layer, int expert, float bias) {
        selectionBias[layer][expert] = bias;
    }

    /** Layer {@code layer}'s router parameter {@code (experts, hidden)} once an expert was added; else null. */
    NDArray gate(int layer) {
        return gates.isEmpty() ? null : gates.get(layer);
    }

    /** Every router parameter of its own (none until an expert is added). */
    List<NDArray> gates() {
        return List.copyOf(gates);
    }

    @Override
    public ExpertTable extend(ExpertTable built, NDManager step) {
        List<LayerExperts> extended = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            LayerExperts layer = built.layer(l);
            NDArray gate = layer.gate(); // (checkpointExperts, hidden)
            List<Expert> experts = new ArrayList<>(layer.experts());
            if (!gates.isEmpty()) {
                gate = gates.get(l).reshape(gates.get(l).getShape()); // (experts, hidden): a differentiable handle (ParameterSource)
                gate.attach(step);
                for (List<Expert> perLayer : added) {
                    experts.add(perLayer.get(l));
                }
            }
            extended.add(new LayerExperts(gate, experts, disabled[l], selectionBias[l]));
        }
        return new ExpertTable(extended);
    }

    @Override
    public void close() {
        added.forEach(perLayer -> perLayer.forEach(Expert::close));
    }
}
