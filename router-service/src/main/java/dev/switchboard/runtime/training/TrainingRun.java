package dev.switchboard.runtime.training;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.TensorDtype;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a model from a {@link TrainingRecipe} into a Hugging Face model folder: learns the tokenizer on the
 * training documents, tokenises them with it (through the same native tokenizer the server uses), trains,
 * and writes {@code config.json}, {@code model.safetensors} (BF16), the tokenizer files,
 * {@code generation_config.json} and {@code training-report.json} (held-out loss per domain, throughput).
 */
public final class TrainingRun {

    /** Progress of the run: phases as text, then the trainer's steps and evaluations. */
    public interface Progress extends Trainer.Listener {
        void onPhase(String message);
    }

    /** What the run measured; {@code uniformLoss} is ln(vocab), the loss of a model that knows nothing. */
    public record Result(long parameters, int steps, int skippedSteps, long trainingTokens, double seconds,
            double heldOutLoss, Map<String, Double> heldOutLossByDomain, double uniformLoss) {}

    /**
     * Saving and resuming a run's state ({@link TrainingState}).
     *
     * @param resume a state folder to continue from, or {@code null} to start afresh
     * @param stopAfter the last step to run this time (a run stopped before its last step writes only its state)
     * @param stateDirectory where to save the state (after every held-out evaluation and the last step run), or {@code null}
     */
    public record Resumption(Path resume, int stopAfter, Path stateDirectory) {

        /** Start afresh, run every step, save no state. */
        public static final Resumption NONE = new Resumption(null, Integer.MAX_VALUE, null);
    }

    private TrainingRun() {}

    public static Result run(TrainingRecipe recipe, Path out, Progress progress) {
        return run(recipe, out, progress, Resumption.NONE);
    }

    /** Runs (or continues) training; returns {@code null} when it stopped before the last step, its state saved. */
    public static Result run(TrainingRecipe recipe, Path out, Progress progress, Resumption resumption) {
        createDirectories(out);
        TrainingOptions options = recipe.options();
        TrainingData data = TrainingData.prepare(recipe, out, progress::onPhase);
        List<TokenWindows.Batch> allHeldOut = data.allHeldOut();
        long started = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager();
                TrainableMixtral model = startingModel(recipe, resumption.resume(), manager)) {
            progress.onPhase(String.format("training %,d parameters for %d steps of %d × %d tokens%s",
                    model.parameterCount(), options.steps(), options.batchSize(), options.window(),
                    resumption.resume() == null ? "" : ", resuming after step " + TrainingState.read(resumption.resume()).step()));
            Trainer.Outcome outcome = new Trainer(options, progress, Math.max(1, options.steps() / 10),
                    Math.max(1, options.steps() / 100)).train(model, data.windows(options.window()), allHeldOut,
                    resumption.resume(), resumption.stopAfter(), resumption.stateDirectory());
            if (resumption.stopAfter() < options.steps()) {
                progress.onPhase("stopped after step " + resumption.stopAfter() + "; state saved in " + resumption.stateDirectory());
                return null;
            }
            Map<String, Double> byDomain = new LinkedHashMap<>();
            data.heldOut().forEach((name, batches) -> byDomain.put(name, Trainer.evaluate(model, batches)));
            double seconds = (System.nanoTime() - started) / 1e9;
            model.save(out, TensorDtype.BF16);
            Result result = new Result(model.parameterCount(), options.steps(), outcome.skippedSteps(),
                    (long) options.steps() * options.batchSize() * options.window(), seconds,
                    outcome.last().crossEntropy(), byDomain,
                    Math.log(recipe.config().vocabSize()));
            writeGenerationConfig(out);
            writeReport(out, recipe, result);
            return result;
        }
    }

    /** Fresh parameters, or the saved ones of the state being resumed (float32, exactly as saved). */
    private static TrainableMixtral startingModel(TrainingRecipe recipe, Path resume, NDManager manager) {
        if (resume == null) {
            return TrainableMixtral.initialise(recipe.config(), recipe.options().seed(), recipe.options().window(), manager);
        }
        try (Checkpoint saved = Checkpoint.open(TrainingState.weights(resume))) {
            return TrainableMixtral.fromCheckpoint(saved, recipe.options().window(), manager);
        }
    }

    private static void writeGenerationConfig(Path out) {
        JsonObject json = new JsonObject();
        json.addProperty("bos_token_id", BpeTrainer.Vocabulary.BOS);
        json.addProperty("eos_token_id", BpeTrainer.Vocabulary.EOS);
        json.addProperty("temperature", 0.7);
        json.addProperty("top_p", 0.9);
        JsonFile.write(out.resolve("generation_config.json"), json);
    }

    private static void writeReport(Path out, TrainingRecipe recipe, Result result) {
        JsonObject json = new JsonObject();
        json.addProperty("name", recipe.name());
        json.addProperty("parameters", result.parameters());
        json.addProperty("steps", result.steps());
        json.addProperty("skipped_steps", result.skippedSteps());
        json.addProperty("training_tokens", result.trainingTokens());
        json.addProperty("seconds", Math.round(result.seconds()));
        json.addProperty("held_out_loss", result.heldOutLoss());
        json.addProperty("uniform_loss", result.uniformLoss());
        JsonObject byDomain = new JsonObject();
        result.heldOutLossByDomain().forEach(byDomain::addProperty);
        json.add("held_out_loss_by_domain", byDomain);
        JsonFile.write(out.resolve("training-report.json"), json);
    }


    private static void createDirectories(Path out) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot create the output folder", e);
        }
    }
}
