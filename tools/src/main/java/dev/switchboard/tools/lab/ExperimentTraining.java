package dev.switchboard.tools.lab;

import ai.djl.ndarray.NDManager;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.training.RoutingLoad;
import dev.switchboard.runtime.training.TokenWindows;
import dev.switchboard.runtime.training.TrainableMixtral;
import dev.switchboard.runtime.training.Trainer;
import dev.switchboard.runtime.training.TrainingData;
import dev.switchboard.runtime.training.TrainingOptions;
import dev.switchboard.runtime.training.TrainingRecipe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the variants of one experiment on the same data: the recipe's corpus, split and tokenised once (its own
 * BPE vocabulary, learned as {@code train} learns it), and the recipe's model scaled down ({@link LabScale}). Every
 * run starts from the recipe's seed, so runs differ only in what their variant changes. Progress goes to the log.
 */
final class ExperimentTraining {

    private static final Logger log = LoggerFactory.getLogger(ExperimentTraining.class);

    /** Routing points per run: each sums steps/50 steps. */
    private static final int ROUTING_POINTS = 50;
    /** Held-out evaluations per run (the last after the final step). */
    private static final int EVALUATIONS = 10;

    private final String recipeName;
    private final TrainingRecipe recipe;
    private final TrainingData data;

    private ExperimentTraining(String recipeName, TrainingRecipe recipe, TrainingData data) {
        this.recipeName = recipeName;
        this.recipe = recipe;
        this.data = data;
    }

    /** Reads the recipe, scales its model and run down and prepares its data. */
    static ExperimentTraining prepare(Path recipeFile, LabScale scale) {
        TrainingRecipe recipe = scaled(TrainingRecipe.read(recipeFile), scale);
        Path tokenizer = createTemporaryDirectory();
        try {
            return new ExperimentTraining(recipeFile.toString(), recipe, TrainingData.prepare(recipe, tokenizer, log::info));
        } finally {
            deleteRecursively(tokenizer);
        }
    }

    /** The recipe's model at the lab's size, and its optimisation for the lab's steps, batch and window. */
    static TrainingRecipe scaled(TrainingRecipe recipe, LabScale scale) {
        MixtralConfig c = recipe.config();
        if (scale.hidden % c.numAttentionHeads() != 0) {
            throw new IllegalArgumentException("--hidden " + scale.hidden + " must be a multiple of the recipe's "
                    + c.numAttentionHeads() + " attention heads");
        }
        MixtralConfig config = new MixtralConfig(c.modelType(), scale.hidden, scale.expertWidth, scale.layers,
                c.numAttentionHeads(), c.numKeyValueHeads(), scale.hidden / c.numAttentionHeads(), c.numLocalExperts(),
                c.numExpertsPerTok(), c.rmsNormEps(), c.ropeTheta(), Math.max(c.maxPositionEmbeddings(), scale.window),
                c.vocabSize(), c.tieWordEmbeddings(), c.bosTokenId(), c.eosTokenId(), c.normTopkProb(), c.routing(),
                c.capacityFactor(), c.expertKind());
        TrainingOptions o = recipe.options();
        TrainingOptions options = new TrainingOptions(scale.steps, scale.batch, scale.window, o.learningRate(),
                Math.min(o.warmupSteps(), scale.steps / 10), o.weightDecay(), o.balanceWeight(), o.zWeight(), o.seed());
        return recipe.withConfig(config).withOptions(options);
    }

    /** The scaled recipe's router-loss weights: what "on" means for a variant that keeps them. */
    TrainingOptions options() {
        return recipe.options();
    }

    MixtralConfig config() {
        return recipe.config();
    }

    /** Trains every variant in turn. */
    TrainingExperiment run(String experiment, List<Variant> variants) {
        List<TrainingExperiment.Run> runs = new ArrayList<>();
        for (Variant variant : variants) {
            runs.add(train(variant));
        }
        TrainingOptions o = recipe.options();
        MixtralConfig c = recipe.config();
        Map<String, Long> tokens = new LinkedHashMap<>();
        for (TokenWindows.Domain domain : data.training()) {
            tokens.put(domain.name(), (long) domain.tokens().length);
        }
        TrainingExperiment.Settings settings = new TrainingExperiment.Settings(o.steps(), o.batchSize(), o.window(),
                c.hiddenSize(), c.numHiddenLayers(), c.numAttentionHeads(), c.numLocalExperts(), c.vocabSize(),
                o.learningRate(), o.warmupSteps(), o.seed(), tokens);
        return new TrainingExperiment(experiment, recipeName, settings, List.copyOf(runs));
    }

    private TrainingExperiment.Run train(Variant variant) {
        TrainingOptions base = recipe.options();
        TrainingOptions options = new TrainingOptions(base.steps(), base.batchSize(), base.window(), base.learningRate(),
                base.warmupSteps(), base.weightDecay(), variant.balanceWeight(), variant.zWeight(), base.seed());
        MixtralConfig config = variant.config(recipe.config());
        RoutingRecorder routing = new RoutingRecorder(Math.max(1, options.steps() / ROUTING_POINTS), options.steps());
        List<TrainingExperiment.LossPoint> heldOut = new ArrayList<>();
        int[] skipped = {0};
        long started = System.nanoTime();
        log.info("{}: training {} steps", variant.name(), options.steps());
        try (NDManager manager = NDManager.newBaseManager();
                TrainableMixtral model = TrainableMixtral.initialise(config, options.seed(), options.window(), manager)) {
            int every = Math.max(1, options.steps() / EVALUATIONS);
            new Trainer(options, new Trainer.Listener() {
                @Override
                public void onStep(Trainer.StepReport r) {
                    log.info("{}: step {}/{} loss {} ({} tokens/s)", variant.name(), r.step(), r.steps(),
                            String.format("%.3f", r.loss()), String.format("%,.0f", r.tokensPerSecond()));
                }

                @Override
                public void onEvaluation(Trainer.Evaluation evaluation) {
                    heldOut.add(new TrainingExperiment.LossPoint(evaluation.step(), evaluation.crossEntropy()));
                }

                @Override
                public void onSkippedStep(int step, String reason) {
                    skipped[0]++;
                    log.warn("{}: step {} skipped: {}", variant.name(), step, reason);
                }

                @Override
                public void onRouting(int step, List<RoutingLoad> layers) {
                    routing.add(step, layers);
                }
            }, every, every).train(model, data.windows(options.window()), data.allHeldOut());
            Map<String, Double> byDomain = new LinkedHashMap<>();
            data.heldOut().forEach((name, batches) -> byDomain.put(name, Trainer.evaluate(model, batches)));
            double seconds = (System.nanoTime() - started) / 1e9;
            log.info("{}: held-out loss {} in {} s", variant.name(), heldOut.get(heldOut.size() - 1).loss(), Math.round(seconds));
            return new TrainingExperiment.Run(variant, model.parameterCount(),
                    variant.activeExpertParameters(config.hiddenSize(), config.numHiddenLayers()), seconds, skipped[0],
                    routing.points(), List.copyOf(heldOut), byDomain);
        }
    }

    private static Path createTemporaryDirectory() {
        try {
            return Files.createTempDirectory("switchboard-lab-tokenizer");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for the experiment's tokenizer", e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            log.warn("could not delete the temporary tokenizer folder {}: {}", directory, e.getMessage());
        }
    }
}
