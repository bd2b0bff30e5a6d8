package dev.switchboard.app.experts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.switchboard.app.model.ServedModel;
import dev.switchboard.runtime.model.ExpertTable;
import dev.switchboard.runtime.model.MoeModel;

/**
 * The router rows of a contributed expert, one {@code [dModel]} row per MoE layer: {@code layer-<N>/gate.bin}
 * from the jar when every layer ships one; otherwise derived from the jar's {@code calibration.txt}:
 *
 * <pre>
 *   m_l   = mean over the calibration tokens of the hidden state at layer l's MoE input (after the
 *           post-attention RMSNorm), from one prefill of the text through the live model
 *   row_l = m_l / ‖m_l‖ · mean_e ‖W_g[l][e]‖      (the mean norm of the layer's existing gate rows)
 * </pre>
 *
 * The row points where the calibration text's tokens sit, so tokens like them score highest for the new
 * expert; the scale makes its logits comparable with the trained rows. Untrained, it rarely wins top-k alone:
 * the plugin's selection bias decides how much traffic it gets.
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
        float[][] means = editor.betweenSteps(() -> model.meanMoeInputs(tokens)); // [layers][dModel]
        ExpertTable table = model.experts();
        float[][] rows = new float[layers][];
        for (int l = 0; l < layers; l++) {
            rows[l] = scaled(means[l], meanRowNorm(asFloats(table.layer(l).gate()), dModel));
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

    private static float[] scaled(float[] direction, double norm) {
        double length = 0;
        for (float v : direction) {
            length += (double) v * v;
        }
        length = Math.sqrt(length);
        float[] row = new float[direction.length];
        if (length == 0) {
            return row; // no direction: the expert is selected by its bias alone
        }
        for (int i = 0; i < row.length; i++) {
            row[i] = (float) (direction[i] / length * norm);
        }
        return row;
    }

    /** Mean L2 norm of the rows of a row-major {@code [rows, dModel]} gate. */
    private static double meanRowNorm(float[] gate, int dModel) {
        int rows = gate.length / dModel;
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double square = 0;
            for (int c = 0; c < dModel; c++) {
                float v = gate[r * dModel + c];
                square += (double) v * v;
            }
            sum += Math.sqrt(square);
        }
        return rows == 0 ? 1 : sum / rows;
    }
}
