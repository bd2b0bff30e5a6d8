package dev.switchboard.app.experts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.switchboard.app.model.ServedModel;
import dev.switchboard.runtime.model.ExpertTable;
import dev.switchboard.runtime.model.LayerExperts;
import dev.switchboard.runtime.model.MoeModel;

/**
 * The router rows of a contributed expert, one {@code [dModel]} row per MoE layer: {@code layer-<N>/gate.bin}
 * from the jar when every layer ships one; otherwise derived from the jar's {@code calibration.txt}: one
 * prefill of the text through the live model gives each calibration token's hidden state at every layer's
 * MoE input (after the post-attention RMSNorm), and {@link CalibratedRow} turns them into a row that points
 * where those tokens sit, scaled to stay below the layer's top-k threshold on those very tokens, so that,
 * untrained, it takes few top-k places on its own (see {@link CalibratedRow} for the rule and its floor): the
 * plugin's selection bias decides how much traffic the expert gets.
 */
final class GateRows {

    private final ExpertTableEditor editor;
    private final ServedModel served;
    private final ContributedWeights files;

    GateRows(ExpertTableEditor editor, ServedModel served, ContributedWeights files) {
        this.editor = editor;
        this.served = served;
        this.files = files;
    }

    /** {@code [layers][dModel]}. */
    float[][] rows() {
        MoeModel model = served.experts().model();
        int layers = model.config().numHiddenLayers();
        int dModel = model.config().hiddenSize();
        float[][] shipped = new float[layers][];
        boolean complete = true;
        for (int l = 0; l < layers; l++) {
            shipped[l] = files.gateRow(l, dModel);
            complete &= shipped[l] != null;
        }
        if (complete) {
            return shipped;
        }
        String text = files.calibrationText();
        if (text == null || text.isBlank()) {
            throw ExpertErrors.invalid(null, "the contributed expert ships neither layer-<N>/gate.bin for every layer nor"
                    + " a calibration.txt to compute its router rows from");
        }
        int[] tokens = served.tokenizer().encodePrompt(text);
        float[][] inputs = editor.betweenSteps(() -> model.moeInputs(tokens)); // [layers][tokens * dModel]
        ExpertTable table = model.experts();
        int k = model.config().numExpertsPerTok();
        float[][] rows = new float[layers][];
        for (int l = 0; l < layers; l++) {
            LayerExperts layer = table.layer(l);
            boolean[] disabled = new boolean[layer.size()];
            for (int e = 0; e < disabled.length; e++) {
                disabled[e] = layer.isDisabled(e);
            }
            rows[l] = CalibratedRow.of(inputs[l], asFloats(layer.gate()), disabled, k, dModel);
        }
        return rows;
    }

    /** A gate's values as float32 (the model may work in float16); a converted copy is closed at once. */
    private static float[] asFloats(NDArray gate) {
        if (gate.getDataType() == DataType.FLOAT32) {
            return gate.toFloatArray();
        }
        try (NDArray converted = gate.toType(DataType.FLOAT32, true)) {
            return converted.toFloatArray();
        }
    }
}
