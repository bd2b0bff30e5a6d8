package dev.switchboard.runtime.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.runtime.model.ExpertTable;
import dev.switchboard.runtime.model.LayerExperts;
import dev.switchboard.runtime.model.TrainingForward;
import dev.switchboard.spi.Expert;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a {@link TrainableMixtral} routes through besides its checkpoint experts, as the serving table holds it after
 * the lifecycle's edits: experts added to every layer (a plugin's contributed expert, built by the caller and frozen:
 * their weights are not parameters), each with a router row per layer that is a parameter of its own, and the
 * disabled flags and selection biases of every expert. Applied to each pass's table as a
 * {@link TrainingForward.TableExtension}: the added rows are appended to the gate as differentiable views, so the
 * loss reaches them as it reaches the checkpoint's rows.
 */
final class ExtraExperts implements TrainingForward.TableExtension, AutoCloseable {

    /** One added expert: its expert and its router row {@code (1, hidden)} in every layer. */
    private record Added(List<Expert> perLayer, List<NDArray> rows) {}

    private final int layers;
    private final int checkpointExperts;
    private final NDManager manager;
    private final List<Added> added = new ArrayList<>();
    private boolean[][] disabled; // [layer][expert]
    private float[][] selectionBias; // [layer][expert]

    ExtraExperts(int layers, int checkpointExperts, NDManager manager) {
        this.layers = layers;
        this.checkpointExperts = checkpointExperts;
        this.manager = manager;
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
        List<NDArray> parameters = new ArrayList<>();
        for (float[] row : rows) {
            // A copy in PyTorch's own memory, never the Java buffer create() wraps (CONTRIBUTING, Java memory).
            try (NDArray staged = manager.create(row, new Shape(1, row.length))) {
                NDArray parameter = staged.duplicate(); // (1, hidden)
                parameter.setRequiresGradient(true);
                parameters.add(parameter);
            }
        }
        added.add(new Added(List.copyOf(perLayer), parameters));
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

    /** The router row parameter {@code (1, hidden)} of added expert {@code expert} in {@code layer}. */
    NDArray row(int layer, int expert) {
        return added.get(expert - checkpointExperts).rows().get(layer);
    }

    /** Every added row parameter. */
    List<NDArray> rows() {
        return added.stream().flatMap(a -> a.rows().stream()).toList();
    }

    @Override
    public ExpertTable extend(ExpertTable built, NDManager step) {
        List<LayerExperts> extended = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            LayerExperts layer = built.layer(l);
            NDList gates = new NDList(layer.gate()); // (checkpointExperts, hidden)
            List<Expert> experts = new ArrayList<>(layer.experts());
            for (Added expert : added) {
                NDArray row = expert.rows().get(l);
                NDArray view = row.reshape(row.getShape()); // a differentiable handle of the parameter (ParameterSource)
                view.attach(step);
                gates.add(view); // (1, hidden)
                experts.add(expert.perLayer().get(l));
            }
            NDArray gate = gates.size() == 1 ? layer.gate() : NDArrays.concat(gates, 0); // (experts, hidden)
            extended.add(new LayerExperts(gate, experts, disabled[l], selectionBias[l]));
        }
        return new ExpertTable(extended);
    }

    @Override
    public void close() {
        added.forEach(a -> a.perLayer().forEach(Expert::close));
    }
}
