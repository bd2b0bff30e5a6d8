package dev.switchboard.runtime.training;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that defines a trained model, read from one JSON file: the model shape, the vocabulary size,
 * the optimisation settings and the corpus (domains with their sources and weights). Paths are relative to
 * the recipe's folder. See {@code app/src/default-model/recipe.json}.
 */
public record TrainingRecipe(String name, MixtralConfig config, TrainingOptions options, List<CorpusDomain> domains,
        double heldOutShare, Path directory) {

    /**
     * One domain of the corpus.
     *
     * @param sources for {@code text}: files or globs (each file one document); for {@code chat}: JSON-lines
     *     files of {@code {"user": ..., "assistant": ...}}; unused for {@code arithmetic}
     * @param count number of synthetic exchanges ({@code arithmetic} only)
     */
    public record CorpusDomain(String name, String kind, List<String> sources, double weight, int count) {}

    public static TrainingRecipe read(Path file) {
        JsonObject root;
        try {
            root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the recipe", e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(file + ": not a JSON object: " + e.getMessage(), e);
        }
        try {
            JsonObject model = root.getAsJsonObject("model");
            int hidden = model.get("hidden_size").getAsInt();
            int heads = model.get("num_attention_heads").getAsInt();
            MixtralConfig config = new MixtralConfig(MixtralConfig.MIXTRAL, hidden, model.get("intermediate_size").getAsInt(),
                    model.get("num_hidden_layers").getAsInt(), heads, model.get("num_key_value_heads").getAsInt(),
                    hidden / heads, model.get("num_local_experts").getAsInt(), model.get("num_experts_per_tok").getAsInt(),
                    1e-5, model.get("rope_theta").getAsDouble(), model.get("max_position_embeddings").getAsInt(),
                    model.get("vocab_size").getAsInt(), false, BpeTrainer.Vocabulary.BOS, BpeTrainer.Vocabulary.EOS,
                    true, "topk", 1.25, "swiglu");
            JsonObject training = root.getAsJsonObject("training");
            TrainingOptions options = new TrainingOptions(training.get("steps").getAsInt(),
                    training.get("batch_size").getAsInt(), training.get("window").getAsInt(),
                    training.get("learning_rate").getAsFloat(), training.get("warmup_steps").getAsInt(),
                    training.get("weight_decay").getAsFloat(), training.get("balance_loss_weight").getAsFloat(),
                    training.get("router_z_loss_weight").getAsFloat(), training.get("seed").getAsLong());
            List<CorpusDomain> domains = new ArrayList<>();
            for (JsonElement element : root.getAsJsonArray("domains")) {
                JsonObject domain = element.getAsJsonObject();
                List<String> sources = new ArrayList<>();
                JsonArray array = domain.has("sources") ? domain.getAsJsonArray("sources") : new JsonArray();
                array.forEach(source -> sources.add(source.getAsString()));
                domains.add(new CorpusDomain(domain.get("name").getAsString(), domain.get("kind").getAsString(),
                        List.copyOf(sources), domain.get("weight").getAsDouble(),
                        domain.has("count") ? domain.get("count").getAsInt() : 0));
            }
            return new TrainingRecipe(root.get("name").getAsString(), config, options, List.copyOf(domains),
                    training.get("held_out_share").getAsDouble(), file.toAbsolutePath().getParent());
        } catch (NullPointerException | IllegalStateException | ClassCastException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(file + ": a required field is missing or has the wrong type ("
                    + e.getMessage() + "); see app/src/default-model/recipe.json", e);
        }
    }

    /** The same recipe with another model shape (a smaller model, other routing). */
    public TrainingRecipe withConfig(MixtralConfig other) {
        return new TrainingRecipe(name, other, options, domains, heldOutShare, directory);
    }

    /** The same recipe with other optimisation settings (a shorter run, say). */
    public TrainingRecipe withOptions(TrainingOptions other) {
        return new TrainingRecipe(name, config, other, domains, heldOutShare, directory);
    }
}
