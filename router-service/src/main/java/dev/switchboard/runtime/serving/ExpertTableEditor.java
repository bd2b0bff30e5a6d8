package dev.switchboard.runtime.serving;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.model.ExpertTable;
import dev.switchboard.runtime.model.LayerExperts;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.routing.RoutingOverride;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The experts of a model that is serving, read and changed: what each layer holds, experts rebuilt from the
 * checkpoint with another kind, and {@link #apply} to install a {@link TableEdit} as one whole table. The live table
 * is immutable; {@code apply} builds the next one copy-on-write, swaps it in and closes what it dropped.
 *
 * <p>Threads: reads may run anywhere. {@link #apply} and {@link #moeInputs} must run where no step is in progress
 * (the server's inference thread between two steps), so that no step still holds a dropped expert or gate; edits
 * must not run concurrently with each other. Owns the open checkpoint (file handles and a memory map, read only
 * while an expert is rebuilt); {@link #close()} closes it, not the model.
 */
public final class ExpertTableEditor implements AutoCloseable {

    private final MoeModel model;
    private final Checkpoint checkpoint;

    ExpertTableEditor(MoeModel model, Checkpoint checkpoint) {
        this.model = model;
        this.checkpoint = checkpoint;
    }

    public int layers() {
        return model.config().numHiddenLayers();
    }

    /** How many experts per layer the checkpoint holds; experts beyond these were added while serving. */
    public int checkpointExperts() {
        return model.config().numLocalExperts();
    }

    /** k of top-k routing. */
    public int expertsPerToken() {
        return model.config().numExpertsPerTok();
    }

    /** The width of a token's hidden state, and of a router row. */
    public int hiddenSize() {
        return model.config().hiddenSize();
    }

    /** The expert kind the model was loaded with (config's {@code switchboard_expert_kind}). */
    public String defaultKind() {
        return model.config().expertKind();
    }

    /** The checkpoint's {@code model_type} (docs/MODELS.md). */
    public String modelType() {
        return model.config().modelType();
    }

    /**
     * Whether layer {@code l} is a dense layer (Qwen's {@code mlp_only_layers} / {@code decoder_sparse_step}): its
     * one "expert" is the layer's MLP, which every token runs with weight 1, so the lifecycle cannot change it.
     */
    public boolean isDense(int l) {
        return !model.config().isSparse(l);
    }

    /** Layer {@code l}'s always-on shared expert (Qwen2-MoE), outside the routed table; empty when it has none. */
    public Optional<Expert> sharedExpert(int l) {
        return model.sharedExpert(l);
    }

    /** Whether the model's routing takes a per-sequence {@link RoutingOverride} (token-choice top-k). */
    public boolean supportsRoutingOverride() {
        return RoutingOverride.supports(model.routing());
    }

    /** Every layer of the live table, read once: one consistent view. */
    public List<LayerView> table() {
        return model.experts().layers().stream().map(ExpertTableEditor::view).toList();
    }

    /** Layer {@code l} of the live table. */
    public LayerView layer(int l) {
        return view(model.experts().layer(l));
    }

    /** Layer {@code l}'s router rows as float32, row-major {@code [experts, hidden]} (the model may work in float16). */
    public float[] gateRows(int l) {
        NDArray gate = model.experts().layer(l).gate();
        if (gate.getDataType() == DataType.FLOAT32) {
            return gate.toFloatArray();
        }
        try (NDArray converted = gate.toType(DataType.FLOAT32, true)) {
            return converted.toFloatArray();
        }
    }

    /** What every expert of this model must look like, with kind-specific {@code kindOptions}. */
    public ExpertSpec expertSpec(Map<String, String> kindOptions) {
        return model.expertSpec(kindOptions);
    }

    /**
     * Builds checkpoint expert {@code expert} of layer {@code layer} again from its original weights with
     * {@code kind}; the caller owns it until it is {@link TableEdit#replace placed} in the table.
     *
     * @throws IllegalArgumentException when the checkpoint has no such expert or the kind cannot build it
     */
    public Expert rebuild(int layer, int expert, ExpertKind kind, Map<String, String> kindOptions) {
        return model.buildExpert(checkpoint, layer, expert, kind, kindOptions);
    }

    /**
     * Every token's hidden state at each layer's MoE input (after the post-attention norm), run as one prefill of a
     * fresh sequence through the live experts: per layer a row-major {@code [tokens, hidden]} array.
     */
    public float[][] moeInputs(int[] tokenIds) {
        return model.moeInputs(tokenIds);
    }

    /**
     * Fits the router rows of an expert added while serving by gradient on a private copy of the model
     * ({@link GateCalibration}); the live model is not changed, so this may run beside serving, off the inference
     * thread (it takes seconds). Install the rows with {@link TableEdit#setGateRow}.
     *
     * @throws IllegalArgumentException when the setup does not fit the live table
     */
    public GateCalibration.Result calibrate(GateCalibration.Setup setup) {
        return GateCalibration.run(this, checkpoint, setup);
    }

    /**
     * Runs {@code change} on an edit of the live table and installs the result for the following steps, then closes
     * the experts and router gates it dropped. When {@code change} throws, nothing changes.
     *
     * @return the experts the change dropped, now closed
     */
    public List<Expert> apply(Consumer<TableEdit> change) {
        ExpertTable old = model.experts();
        TableEdit edit = new TableEdit(old);
        change.accept(edit);
        ExpertTable next = edit.table();
        model.swapExperts(next);
        return closeDropped(old, next);
    }

    private static List<Expert> closeDropped(ExpertTable old, ExpertTable next) {
        Set<Object> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        for (LayerExperts layer : next.layers()) {
            kept.add(layer.gate());
            kept.addAll(layer.experts());
        }
        List<Expert> dropped = new ArrayList<>();
        for (LayerExperts layer : old.layers()) {
            NDArray gate = layer.gate();
            if (kept.add(gate)) {
                gate.close();
            }
            for (Expert expert : layer.experts()) {
                if (kept.add(expert)) {
                    expert.close();
                    dropped.add(expert);
                }
            }
        }
        return dropped;
    }

    static LayerView view(LayerExperts layer) {
        return new LayerView(layer);
    }

    @Override
    public void close() {
        checkpoint.close();
    }
}
