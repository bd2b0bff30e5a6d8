package dev.switchboard.app.experts;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.MixtralTensorLayout;
import dev.switchboard.runtime.model.ExpertKinds;
import dev.switchboard.runtime.serving.ExpertTableEditor;
import dev.switchboard.runtime.serving.GateCalibration;
import dev.switchboard.runtime.serving.ModelRuntime;
import dev.switchboard.runtime.training.CorpusSplit;
import dev.switchboard.runtime.training.TrainingRecipe;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertSpec;
import dev.switchboard.spi.ExpertWeights;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The numbers of docs/PLUGINS.md, "Calibration through the admin API": the admin endpoint's pipeline
 * ({@link ContributedCalibration#heuristicRows}, then {@link ExpertTableEditor#calibrate}) on the shipped default
 * model, with a contributed expert that is a copy of the checkpoint expert the calibration domain routes to most in
 * each layer (no plugin ships an expert of the default model's shape). Calibrated on the recipe's {@code java}
 * training text, measured on held-out Java and on the other domains' held-out text. The claim held here: the fitted
 * rows cost the calibration domain no more held-out loss than the mean-input rows they start from.
 */
class DefaultModelRouterCalibrationMeasurementTest {

    private static final Path MODEL = Path.of("src/main/resources/default-model");
    private static final Path RECIPE = Path.of("src/default-model/recipe.json");
    private static final String DOMAIN = "java";

    @Test
    void fittedRowsCostTheCalibrationDomainNoMoreThanTheMeanInputRows() {
        CorpusSplit split = CorpusSplit.of(TrainingRecipe.read(RECIPE), phase -> {});
        String text = joined(split.training().get(DOMAIN), CalibrationRequest.MAX_CHARS);
        String other = joined(split.heldOut().entrySet().stream().filter(d -> !d.getKey().equals(DOMAIN))
                .flatMap(d -> d.getValue().stream().limit(4)).toList(), CalibrationRequest.MAX_CHARS);
        ExpertKind swiglu = ExpertKinds.fromClassPath().find("swiglu").orElseThrow();
        try (ModelRuntime runtime = ModelRuntime.load(MODEL); Checkpoint checkpoint = Checkpoint.open(MODEL)) {
            ExpertTableEditor experts = runtime.experts();
            int bos = runtime.shape().promptBos().orElseThrow();
            int[] tokens = runtime.tokenizer().encodePrompt(text, bos);
            int heldOutCount = Math.max(ContributedCalibration.WINDOW + 1, tokens.length / 5);
            int[] fit = Arrays.copyOfRange(tokens, 0, tokens.length - heldOutCount);
            int[] heldOut = Arrays.copyOfRange(tokens, tokens.length - heldOutCount, tokens.length);
            int[] otherTokens = runtime.tokenizer().encodePrompt(other, bos);
            int[] copied = mostRouted(experts, fit);

            long started = System.nanoTime();
            int added = experts.checkpointExperts();
            experts.apply(table -> { // the lifecycle's add: a row per layer, masked while its rows are derived
                for (int l = 0; l < table.layers(); l++) {
                    table.add(l, copy(swiglu, checkpoint, l, copied[l], experts.expertSpec(Map.of())),
                            new float[experts.hiddenSize()], 0f);
                    table.setDisabled(l, added, true);
                }
            });
            float[][] heuristic = ContributedCalibration.heuristicRows(experts, added, fit, runtime.shape().contextLength(),
                    experts::moeInputs);
            experts.apply(table -> {
                for (int l = 0; l < table.layers(); l++) {
                    table.setGateRow(l, added, heuristic[l]);
                    table.setDisabled(l, added, false);
                }
            });
            GateCalibration.Result result = experts.calibrate(new GateCalibration.Setup(added,
                    List.of((layer, spec) -> copy(swiglu, checkpoint, layer, copied[layer], spec)), heuristic, fit, heldOut,
                    otherTokens, new GateCalibration.Settings(CalibrationRequest.DEFAULT_STEPS,
                            CalibrationRequest.DEFAULT_LEARNING_RATE, 8, ContributedCalibration.WINDOW, 16, 13)));
            double total = (System.nanoTime() - started) / 1e9;

            System.out.printf("Default model, contributed copy of experts %s, calibrated on %s (%d fit, %d held-out, %d other"
                    + " tokens): fit %.1f s, whole %.1f s%n", Arrays.toString(copied), DOMAIN, fit.length, heldOut.length,
                    otherTokens.length, result.seconds(), total);
            print("without", result.without(), result.without());
            print("heuristic", result.start(), result.without());
            print("calibrated", result.fitted(), result.without());
            assertThat(result.fitted().calibration().crossEntropy())
                    .as("held-out %s loss with the fitted rows vs with the mean-input rows", DOMAIN)
                    .isLessThanOrEqualTo(result.start().calibration().crossEntropy() + 1e-4);
        }
    }

    /** Per layer, the checkpoint expert that most of the text's tokens choose first. */
    private static int[] mostRouted(ExpertTableEditor experts, int[] tokens) {
        int hidden = experts.hiddenSize();
        float[][] inputs = experts.moeInputs(Arrays.copyOf(tokens, Math.min(tokens.length, 1024)));
        int[] most = new int[experts.layers()];
        for (int l = 0; l < experts.layers(); l++) {
            float[] gate = experts.gateRows(l);
            int[] firsts = new int[experts.checkpointExperts()];
            for (int t = 0; t < inputs[l].length / hidden; t++) {
                int best = 0;
                double bestLogit = Double.NEGATIVE_INFINITY;
                for (int e = 0; e < firsts.length; e++) {
                    double logit = 0;
                    for (int c = 0; c < hidden; c++) {
                        logit += gate[e * hidden + c] * inputs[l][t * hidden + c];
                    }
                    if (logit > bestLogit) {
                        bestLogit = logit;
                        best = e;
                    }
                }
                firsts[best]++;
            }
            for (int e = 0; e < firsts.length; e++) {
                most[l] = firsts[e] > firsts[most[l]] ? e : most[l];
            }
        }
        return most;
    }

    /** Checkpoint expert {@code expert} of {@code layer}, built again as a separate expert. */
    private static Expert copy(ExpertKind kind, Checkpoint checkpoint, int layer, int expert, ExpertSpec spec) {
        try (NDManager scratch = NDManager.newBaseManager(spec.device())) {
            return kind.create(spec, new ExpertWeights() {
                @Override
                public Set<String> names() {
                    return Set.of("w1", "w2", "w3");
                }

                @Override
                public NDArray get(String name) {
                    String tensor = switch (name) {
                        case "w1" -> MixtralTensorLayout.expertW1(layer, expert);
                        case "w2" -> MixtralTensorLayout.expertW2(layer, expert);
                        default -> MixtralTensorLayout.expertW3(layer, expert);
                    };
                    return checkpoint.load(tensor, scratch, spec.dataType());
                }
            });
        }
    }

    private static void print(String rows, GateCalibration.Measured measured, GateCalibration.Measured without) {
        System.out.printf("%-10s in domain: loss %.4f (%+.4f), share %.1f %%; other: loss %.4f (%+.4f), share %.1f %%%n", rows,
                measured.calibration().crossEntropy(), measured.calibration().crossEntropy() - without.calibration().crossEntropy(),
                100 * measured.calibration().share(), measured.other().crossEntropy(),
                measured.other().crossEntropy() - without.other().crossEntropy(), 100 * measured.other().share());
    }

    private static String joined(List<String> documents, int maxChars) {
        String all = String.join("\n\n", documents);
        return all.length() <= maxChars ? all : all.substring(0, maxChars);
    }
}
