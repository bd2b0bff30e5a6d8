package dev.switchboard.runtime.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A recipe's documents split by document into training and held-out parts, per domain in recipe order: each
 * domain's documents are shuffled with the recipe's seed and the first {@code ceil(share · count)} are held out.
 * Training and {@code eval} both split here, so {@code eval} measures exactly the documents training never saw.
 */
public record CorpusSplit(Map<String, List<String>> training, Map<String, List<String>> heldOut) {

    public static CorpusSplit of(TrainingRecipe recipe, Consumer<String> phases) {
        long seed = recipe.options().seed();
        Map<String, List<String>> training = new LinkedHashMap<>();
        Map<String, List<String>> heldOut = new LinkedHashMap<>();
        for (TrainingRecipe.CorpusDomain domain : recipe.domains()) {
            List<String> documents = new ArrayList<>(CorpusReader.documents(domain, recipe.directory(), seed));
            Collections.shuffle(documents, new Random(seed));
            int held = (int) Math.ceil(documents.size() * recipe.heldOutShare());
            heldOut.put(domain.name(), documents.subList(0, held));
            training.put(domain.name(), documents.subList(held, documents.size()));
            phases.accept(String.format("domain %s: %d documents (%d held out), %,d characters", domain.name(),
                    documents.size(), held, documents.stream().mapToLong(String::length).sum()));
        }
        return new CorpusSplit(training, heldOut);
    }
}
