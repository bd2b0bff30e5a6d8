package dev.switchboard.app.experts;

import dev.switchboard.app.model.ServedModel;
import dev.switchboard.runtime.serving.ExpertTableEditor;
import dev.switchboard.runtime.serving.LayerView;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

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

    private final ExpertEdits editor;
    private final ServedModel served;
    private final ContributedWeights files;

    GateRows(ExpertEdits editor, ServedModel served, ContributedWeights files) {
        this.editor = editor;
        this.served = served;
        this.files = files;
    }

    /** {@code rows} as stored in the expert configuration; null stays null. */
    static float @Nullable [][] arrays(@Nullable List<List<Float>> rows) {
        if (rows == null) {
            return null;
        }
        float[][] arrays = new float[rows.size()][];
        for (int l = 0; l < arrays.length; l++) {
            List<Float> row = rows.get(l);
            arrays[l] = new float[row.size()];
            for (int c = 0; c < arrays[l].length; c++) {
                arrays[l][c] = row.get(c);
            }
        }
        return arrays;
    }

    /** {@code rows} in the form the expert configuration stores. */
    static List<List<Float>> lists(float[][] rows) {
        List<List<Float>> lists = new ArrayList<>();
        for (float[] row : rows) {
            List<Float> list = new ArrayList<>(row.length);
            for (float value : row) {
                list.add(value);
            }
            lists.add(List.copyOf(list));
        }
        return List.copyOf(lists);
    }

    /**
     * Stored rows, checked against the served model: one per layer of hidden_size each.
     *
     * @throws IllegalStateException when they do not fit it
     */
    static float[][] checked(float[][] rows, ExpertTableEditor model, String origin) {
        boolean fits = rows.length == model.layers();
        for (float[] row : rows) {
            fits &= row.length == model.hiddenSize();
        }
        if (!fits) {
            throw new IllegalStateException("the calibrated router rows of " + origin + " do not fit this model ("
                    + model.layers() + " layers of hidden_size " + model.hiddenSize() + "); remove the expert and add it again");
        }
        return rows;
    }

    /** {@code [layers][dModel]}. */
    float[][] rows() {
        ExpertTableEditor model = served.experts();
        int layers = model.layers();
        int dModel = model.hiddenSize();
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
        int k = model.expertsPerToken();
        float[][] rows = new float[layers][];
        for (int l = 0; l < layers; l++) {
            LayerView layer = model.layer(l);
            rows[l] = CalibratedRow.of(inputs[l], model.gateRows(l), layer.disabled(), k, dModel);
        }
        return rows;
    }
}
