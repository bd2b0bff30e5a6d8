package dev.switchboard.runtime.training;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a training run stands, saved so that it can resume: a folder with {@code weights/} (the parameters as a
 * float32 model folder), the optimiser's moments ({@link AdamW#save}) and {@code state.json} with the steps done,
 * the optimiser's update count, the skipped steps and the held-out evaluations so far. The data position needs no
 * saving: the window sampler is reseeded and replayed for the steps done ({@link Trainer}).
 *
 * @param steps the run's total steps (the learning-rate schedule depends on it, so a resume must keep it)
 * @param seed the run's seed
 */
public record TrainingState(int step, int updates, int skippedSteps, List<Trainer.Evaluation> evaluations, int steps,
        long seed) {

    /** The folder a run saves its state into, inside its output folder. */
    public static final String FOLDER = "training-state";

    /** Nothing done yet. */
    static TrainingState start(TrainingOptions options) {
        return new TrainingState(0, 0, 0, List.of(), options.steps(), options.seed());
    }

    /** The folder of the saved parameters, a float32 model folder that {@code TrainableMixtral.fromCheckpoint} loads. */
    public static Path weights(Path directory) {
        return directory.resolve("weights");
    }

    void write(Path directory) {
        JsonObject json = new JsonObject();
        json.addProperty("step", step);
        json.addProperty("updates", updates);
        json.addProperty("skipped_steps", skippedSteps);
        json.addProperty("steps", steps);
        json.addProperty("seed", seed);
        JsonArray list = new JsonArray();
        for (Trainer.Evaluation evaluation : evaluations) {
            JsonObject entry = new JsonObject();
            entry.addProperty("step", evaluation.step());
            entry.addProperty("cross_entropy", evaluation.crossEntropy());
            list.add(entry);
        }
        json.add("evaluations", list);
        JsonFile.write(directory.resolve("state.json"), json);
    }

    /** Reads {@code state.json} of a state folder; the caller checks it belongs to the recipe it resumes. */
    public static TrainingState read(Path directory) {
        Path file = directory.resolve("state.json");
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            List<Trainer.Evaluation> evaluations = new ArrayList<>();
            for (JsonElement element : json.getAsJsonArray("evaluations")) {
                JsonObject entry = element.getAsJsonObject();
                evaluations.add(new Trainer.Evaluation(entry.get("step").getAsInt(), entry.get("cross_entropy").getAsDouble()));
            }
            return new TrainingState(json.get("step").getAsInt(), json.get("updates").getAsInt(),
                    json.get("skipped_steps").getAsInt(), List.copyOf(evaluations), json.get("steps").getAsInt(),
                    json.get("seed").getAsLong());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the training state", e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a training state: " + e.getMessage(), e);
        }
    }

    /** Fails unless this state was saved by a run with {@code options}' steps and seed. */
    void requireMatches(TrainingOptions options) {
        if (steps != options.steps() || seed != options.seed()) {
            throw new IllegalArgumentException("the saved state is of a run of " + steps + " steps with seed " + seed
                    + ", not " + options.steps() + " steps with seed " + options.seed() + "; resume with the same recipe and --steps");
        }
    }

    static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(directory + ": cannot create the folder", e);
        }
    }
}
