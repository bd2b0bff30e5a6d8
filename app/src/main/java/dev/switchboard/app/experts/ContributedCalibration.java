package dev.switchboard.app.experts;

import dev.switchboard.app.model.ServedModel;
import dev.switchboard.runtime.routing.RoutedLoss;
import dev.switchboard.runtime.serving.ExpertTableEditor;
import dev.switchboard.runtime.serving.GateCalibration;
import dev.switchboard.spi.ContributedExpert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Router calibration by gradient for a contributed expert already in the model (issue 13, docs/PLUGINS.md): its
 * router rows are fitted on the request's text with every other parameter frozen, on a private copy of the model
 * ({@link ExpertTableEditor#calibrate}) while serving goes on, starting from the mean-input rows the lifecycle
 * computes from calibration text ({@link CalibratedRow}); then the fitted rows are installed with one table swap
 * between steps and stored in the shared expert configuration, so every replica installs the same rows. One
 * calibration at a time: it keeps the CPU busy for seconds.
 */
@Component
class ContributedCalibration {

    private static final Logger log = LoggerFactory.getLogger(ContributedCalibration.class);

    /** Tokens per window; the fit draws {@link #BATCH} windows a step. */
    static final int WINDOW = 64;
    private static final int BATCH = 8;
    private static final int HELD_OUT_WINDOWS = 16;
    private static final long SEED = 13;
    private static final String BUILT_IN_OTHER = "calibration/other-sample.txt";

    private final ExpertEdits editor;
    private final PluginRegistry registry;
    private final AddedExperts added;
    private final ExpertConfigurationSync shared;
    private final Semaphore running = new Semaphore(1);

    ContributedCalibration(ExpertEdits editor, PluginRegistry registry, AddedExperts added, ExpertConfigurationSync shared) {
        this.editor = editor;
        this.registry = registry;
        this.added = added;
        this.shared = shared;
    }

    /** Blocking; call off the event loop. */
    CalibrationReport calibrate(String pluginId, String name, CalibrationRequest body) {
        CalibrationRequest request = body.checked();
        if (!running.tryAcquire()) {
            throw ExpertErrors.conflict("a router calibration is running; try again when it has finished (it takes seconds)");
        }
        try {
            return run(pluginId, name, request);
        } finally {
            running.release();
        }
    }

    private CalibrationReport run(String pluginId, String name, CalibrationRequest request) {
        long started = System.nanoTime();
        ServedModel served = editor.served();
        ExpertTableEditor experts = served.experts();
        AddedExperts.Added target = added.find(pluginId, name).orElseThrow(() -> ExpertErrors.notFound("name",
                "contributed expert " + pluginId + "/" + name + " is not in the model; add it first"
                        + " (POST /api/admin/experts/contributed); added: " + added.all().stream().map(AddedExperts.Added::origin).toList()));
        int expert = experts.layer(0).indexOf(target.perLayer().get(0));
        for (int l = 0; l < experts.layers(); l++) {
            if (experts.layer(l).isDisabled(expert)) {
                throw ExpertErrors.conflict("contributed expert " + target.origin() + " is disabled in layer " + l
                        + "; enable it first: a masked expert takes no tokens, so its rows get no gradient");
            }
        }
        int[] text = served.tokenizer().encodePrompt(request.text());
        int heldOutCount = Math.max(WINDOW + 1, text.length / 5);
        if (text.length - heldOutCount < WINDOW + 1) {
            throw ExpertErrors.invalid("text", "'text' is " + text.length + " tokens; calibration needs at least "
                    + (2 * (WINDOW + 1)) + " (a window of " + (WINDOW + 1) + " to fit on and one held out)");
        }
        int[] fit = Arrays.copyOfRange(text, 0, text.length - heldOutCount);
        int[] heldOut = Arrays.copyOfRange(text, text.length - heldOutCount, text.length);
        String otherSource = request.other() != null ? "request" : "built-in sample";
        int[] other = served.tokenizer().encodePrompt(request.other() != null ? request.other() : builtInOther());
        if (other.length < WINDOW + 1) {
            throw ExpertErrors.invalid("other", "'other' is " + other.length + " tokens; at least " + (WINDOW + 1)
                    + " (one window) are measured");
        }
        float[][] heuristic = heuristicRows(experts, expert, fit, served.shape().contextLength(),
                part -> editor.betweenSteps(() -> experts.moeInputs(part)));
        GateCalibration.Result result;
        try {
            result = experts.calibrate(new GateCalibration.Setup(expert, copies(), heuristic, fit, heldOut, other,
                    new GateCalibration.Settings(request.steps(), request.learningRate(), BATCH, WINDOW, HELD_OUT_WINDOWS, SEED)));
        } catch (IllegalArgumentException | IllegalStateException failed) {
            throw ExpertErrors.conflict("contributed expert " + target.origin() + " cannot be calibrated: " + failed.getMessage());
        }
        install(served, target, result.rows());
        log.info("Calibrated the router rows of contributed expert {} ({} steps, {} s)", target.origin(), result.steps(),
                String.format("%.1f", result.seconds()));
        return report(target, expert, result, new CalibrationReport.CalibrationTokens(fit.length, heldOut.length, other.length),
                otherSource, (System.nanoTime() - started) / 1e9);
    }

    /**
     * The lifecycle's rows for this text: each calibration token's hidden state at every MoE input, from prefills of the
     * live model between steps (one per context-sized piece), turned into a row by {@link CalibratedRow} with the
     * expert itself masked, as it was not yet there when it was added.
     *
     * @param moeInputs runs one prefill through the live model where no step is in progress ({@link
     *     ExpertTableEditor#moeInputs})
     */
    static float[][] heuristicRows(ExpertTableEditor experts, int expert, int[] tokens, int context,
            Function<int[], float[][]> moeInputs) {
        int layers = experts.layers();
        int dModel = experts.hiddenSize();
        int piece = Math.min(tokens.length, context);
        float[][] inputs = new float[layers][];
        for (int from = 0; from < tokens.length; from += piece) {
            int[] part = Arrays.copyOfRange(tokens, from, Math.min(tokens.length, from + piece));
            float[][] partInputs = moeInputs.apply(part); // [layers][part * dModel]
            for (int l = 0; l < layers; l++) {
                inputs[l] = inputs[l] == null ? partInputs[l] : concat(inputs[l], partInputs[l]);
            }
        }
        float[][] rows = new float[layers][];
        for (int l = 0; l < layers; l++) {
            boolean[] disabled = experts.layer(l).disabled();
            disabled[expert] = true;
            rows[l] = CalibratedRow.of(inputs[l], experts.gateRows(l), disabled, experts.expertsPerToken(), dModel);
        }
        return rows;
    }

    /** How to build a private copy of each contributed expert in the model, in table order. */
    private List<GateCalibration.ExpertCopy> copies() {
        List<GateCalibration.ExpertCopy> copies = new ArrayList<>();
        for (AddedExperts.Added expert : added.all()) {
            Plugin plugin = registry.startedPlugins().stream().filter(p -> p.id().equals(expert.pluginId())).findFirst()
                    .orElseThrow(() -> ExpertErrors.conflict("plugin '" + expert.pluginId() + "' of contributed expert "
                            + expert.origin() + " is not started; it cannot be copied for the calibration"));
            ContributedExpert contributed = plugin.contributed().stream().filter(c -> c.name().equals(expert.name()))
                    .findFirst().orElseThrow(() -> ExpertErrors.conflict("plugin " + plugin.label()
                            + " no longer contributes '" + expert.name() + "'"));
            ExpertKind kind = registry.kind(contributed.kind()).orElseThrow(() -> ExpertErrors.conflict("expert kind '"
                    + contributed.kind() + "' of " + expert.origin() + " is not offered by any started plugin"));
            ContributedWeights files = new ContributedWeights(plugin.resources(), contributed);
            Map<String, String> options = ContributedExpertOperations.withOverrides(contributed.options(), expert.options());
            copies.add((layer, spec) -> {
                Map<String, String> merged = new HashMap<>(options);
                merged.putAll(spec.options()); // the calibration's own: products on PyTorch
                ExpertSpec withOptions = new ExpertSpec(spec.dModel(), spec.dFf(), spec.dataType(), spec.device(), merged);
                try (ContributedWeights.LayerWeights weights = files.layer(layer, kind.weightNames(), withOptions)) {
                    return kind.create(withOptions, weights);
                }
            });
        }
        return copies;
    }

    /** Installs the fitted rows between two steps, if the expert is still the one calibrated; stored for the fleet. */
    private void install(ServedModel served, AddedExperts.Added target, float[][] rows) {
        editor.exclusively(() -> {
            AddedExperts.Added now = added.find(target.pluginId(), target.name()).orElse(null);
            if (now != target) {
                throw ExpertErrors.conflict("contributed expert " + target.origin() + " changed while it was calibrated;"
                        + " nothing was installed, calibrate again");
            }
            ExpertTableEditor experts = served.experts();
            int at = experts.layer(0).indexOf(target.perLayer().get(0));
            editor.apply(experts, table -> {
                for (int l = 0; l < table.layers(); l++) {
                    table.setGateRow(l, at, rows[l]);
                }
            });
            added.replace(target, target.withGateRows(GateRows.lists(rows)));
            return null;
        });
    }

    private CalibrationReport report(AddedExperts.Added target, int expert, GateCalibration.Result result,
            CalibrationReport.CalibrationTokens tokens, String otherSource, double seconds) {
        GateCalibration.Measured without = result.without();
        return new CalibrationReport(target.origin(), expert, result.steps(), result.seconds(), seconds, tokens, otherSource,
                new CalibrationReport.CalibrationBaseline(measure(without.calibration()), measure(without.other())),
                rowResult(result.start(), without), rowResult(result.fitted(), without), shared.appliedVersion());
    }

    private static CalibrationReport.CalibrationRows rowResult(GateCalibration.Measured rows, GateCalibration.Measured without) {
        return new CalibrationReport.CalibrationRows(measure(rows.calibration()), measure(rows.other()),
                rows.calibration().crossEntropy() - without.calibration().crossEntropy(),
                rows.other().crossEntropy() - without.other().crossEntropy());
    }

    private static CalibrationReport.CalibrationMeasure measure(RoutedLoss loss) {
        return new CalibrationReport.CalibrationMeasure(loss.crossEntropy(), loss.share());
    }

    private static float[] concat(float[] a, float[] b) {
        float[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static String builtInOther() {
        try (InputStream in = ContributedCalibration.class.getClassLoader().getResourceAsStream(BUILT_IN_OTHER)) {
            if (in == null) {
                throw new IllegalStateException(BUILT_IN_OTHER + " is missing from the application");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
