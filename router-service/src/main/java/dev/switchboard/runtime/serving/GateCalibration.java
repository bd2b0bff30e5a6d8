package dev.switchboard.runtime.serving;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.routing.RoutedLoss;
import dev.switchboard.runtime.training.RouterCalibration;
import dev.switchboard.runtime.training.TokenWindows;
import dev.switchboard.runtime.training.TrainableMixtral;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Router calibration by gradient ({@link RouterCalibration}) for an expert the lifecycle added to a serving model, on a
 * private float32 copy on the CPU, so that serving goes on meanwhile: the checkpoint's parameters, a private copy of
 * every expert added while serving (built by the caller), the live table's router rows, disabled flags and selection
 * biases. Only the calibrated expert's router rows are fitted; the result is rows to install, never a change to the
 * live model. Experts rebuilt with another kind while serving run here with the checkpoint's kind.
 */
public final class GateCalibration {

    private static final String CALIBRATION = "calibration";
    private static final String OTHER = "other";

    /** Builds a private copy of one added expert for one layer, in {@code spec} (float32, products on PyTorch). */
    @FunctionalInterface
    public interface ExpertCopy {
        Expert build(int layer, ExpertSpec spec);
    }

    /**
     * @param steps Adam steps
     * @param learningRate Adam step size on the rows
     * @param batchSize fit windows per step
     * @param window tokens per window
     * @param heldOutWindows most windows measured per text
     * @param seed draws the fit windows
     */
    public record Settings(int steps, float learningRate, int batchSize, int window, int heldOutWindows, long seed) {

        public Settings {
            if (steps < 1 || batchSize < 1 || window < 2 || heldOutWindows < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException("steps, batch size and held-out windows must be positive, the window at"
                        + " least 2 tokens and the learning rate above 0");
            }
        }
    }

    /**
     * @param expert the expert to calibrate: one added while serving
     * @param copies for every expert added while serving, in table order, how to build its private copy
     * @param startRows the rows the fit starts from, {@code [layer][hidden]}
     * @param fit the calibration tokens the rows are fitted on
     * @param heldOut calibration tokens kept out of the fit, measured
     * @param other tokens of other text, measured
     */
    public record Setup(int expert, List<ExpertCopy> copies, float[][] startRows, int[] fit, int[] heldOut, int[] other,
            Settings settings) {

        public Setup {
            copies = List.copyOf(copies);
        }
    }

    /** One choice of the expert's router rows, measured on the held-out calibration tokens and on the other text. */
    public record Measured(RoutedLoss calibration, RoutedLoss other) {}

    /**
     * @param rows the fitted rows, {@code [layer][hidden]}
     * @param without the expert masked out of routing: the model as it was before the expert came
     * @param start with the start rows
     * @param fitted with the fitted rows
     * @param seconds the fit alone, without building the copy and measuring
     */
    public record Result(float[][] rows, Measured without, Measured start, Measured fitted, int steps, double seconds) {}

    private GateCalibration() {}

    static Result run(ExpertTableEditor live, Checkpoint checkpoint, Setup setup) {
        Settings settings = setup.settings();
        List<LayerView> table = live.table();
        int checkpointExperts = live.checkpointExperts();
        int total = table.get(0).size();
        if (setup.copies().size() != total - checkpointExperts) {
            throw new IllegalArgumentException("the model holds " + (total - checkpointExperts) + " added experts, but "
                    + setup.copies().size() + " copies were given");
        }
        if (setup.expert() < checkpointExperts || setup.expert() >= total) {
            throw new IllegalArgumentException("expert " + setup.expert() + " was not added while serving: added experts are "
                    + checkpointExperts + ".." + (total - 1));
        }
        Map<String, TokenWindows.Batch> measured = new LinkedHashMap<>();
        measured.put(CALIBRATION, TokenWindows.consecutive(setup.heldOut(), settings.window(), settings.heldOutWindows()));
        measured.put(OTHER, TokenWindows.consecutive(setup.other(), settings.window(), settings.heldOutWindows()));
        TokenWindows fit = new TokenWindows(List.of(new TokenWindows.Domain(CALIBRATION, setup.fit(), 1)), settings.window());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                TrainableMixtral model = TrainableMixtral.fromCheckpoint(checkpoint, settings.window(), manager)) {
            mirror(live, table, setup, model);
            int expert = setup.expert();
            for (int l = 0; l < table.size(); l++) {
                model.setDisabled(l, expert, true);
            }
            Measured without = measured(RouterCalibration.measure(model, expert, measured));
            for (int l = 0; l < table.size(); l++) {
                model.setDisabled(l, expert, false);
            }
            RouterCalibration.Result result = RouterCalibration.calibrate(model, expert, fit, measured,
                    new RouterCalibration.Options(settings.steps(), settings.learningRate(), settings.batchSize(), settings.seed()));
            float[][] rows = new float[table.size()][];
            for (int l = 0; l < table.size(); l++) {
                TrainableMixtral.RouterRow row = model.routerRow(l, expert);
                try (NDArray values = row.tensor().get(row.row())) {
                    rows[l] = values.toFloatArray();
                }
            }
            Map<String, RoutedLoss> before = new LinkedHashMap<>();
            Map<String, RoutedLoss> after = new LinkedHashMap<>();
            result.domains().forEach(change -> {
                before.put(change.domain(), change.before());
                after.put(change.domain(), change.after());
            });
            return new Result(rows, without, measured(before), measured(after), result.steps(), result.seconds());
        }
    }

    /** Gives the private model the live table's added experts, rows, flags and biases (the calibrated one enabled). */
    private static void mirror(ExpertTableEditor live, List<LayerView> table, Setup setup, TrainableMixtral model) {
        int layers = table.size();
        float[][] gates = new float[layers][];
        for (int l = 0; l < layers; l++) {
            gates[l] = live.gateRows(l); // (experts, hidden) row-major
        }
        int hidden = live.hiddenSize();
        for (int c = 0; c < setup.copies().size(); c++) {
            int index = live.checkpointExperts() + c;
            List<Expert> perLayer = new ArrayList<>();
            try {
                for (int l = 0; l < layers; l++) {
                    perLayer.add(setup.copies().get(c).build(l, model.expertSpec(Map.of())));
                }
            } catch (RuntimeException failed) {
                perLayer.forEach(Expert::close);
                throw failed;
            }
            float[][] rows = new float[layers][];
            for (int l = 0; l < layers; l++) {
                rows[l] = index == setup.expert() ? setup.startRows()[l]
                        : Arrays.copyOfRange(gates[l], index * hidden, (index + 1) * hidden);
            }
            model.addExpert(perLayer, rows, 0f);
        }
        for (int l = 0; l < layers; l++) {
            LayerView layer = table.get(l);
            float[] bias = layer.selectionBias();
            for (int e = 0; e < layer.size(); e++) {
                model.setDisabled(l, e, layer.isDisabled(e) && e != setup.expert());
                model.setSelectionBias(l, e, bias[e]);
            }
        }
    }

    private static Measured measured(Map<String, RoutedLoss> byText) {
        return new Measured(byText.get(CALIBRATION), byText.get(OTHER));
    }
}
