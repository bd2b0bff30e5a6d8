package dev.switchboard.runtime.training;

import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A recipe's corpus made ready to train on: split by document ({@link CorpusSplit}), a BPE vocabulary learned on the
 * training documents and written as tokenizer files, the training documents tokenised into one stream per domain,
 * and the held-out windows per domain ({@link HeldOutSet}). What {@link TrainingRun} trains one model on, and what
 * an experiment trains several on.
 *
 * @param training per domain, its training token stream and weight, in recipe order
 * @param heldOut per domain, the held-out windows training measures (domains shorter than one window left out)
 */
public record TrainingData(List<TokenWindows.Domain> training, Map<String, List<TokenWindows.Batch>> heldOut) {

    /** Splits, learns the tokenizer into {@code tokenizerDirectory} and tokenises, reporting each phase. */
    public static TrainingData prepare(TrainingRecipe recipe, Path tokenizerDirectory, Consumer<String> phases) {
        TrainingOptions options = recipe.options();
        CorpusSplit split = CorpusSplit.of(recipe, phases);
        phases.accept("learning a " + recipe.config().vocabSize() + "-piece BPE vocabulary");
        TokenizerWriter.write(BpeTrainer.train(split.training().values().stream().flatMap(List::stream).toList(),
                recipe.config().vocabSize()), tokenizerDirectory);
        List<TokenWindows.Domain> training = new ArrayList<>();
        Map<String, List<TokenWindows.Batch>> heldOut = new LinkedHashMap<>();
        try (MoeTokenizer tokenizer = MoeTokenizer.load(tokenizerDirectory)) {
            for (TrainingRecipe.CorpusDomain domain : recipe.domains()) {
                int[] stream = TokenWindows.stream(split.training().get(domain.name()).stream().map(tokenizer::encode).toList(),
                        BpeTrainer.Vocabulary.BOS, BpeTrainer.Vocabulary.EOS);
                training.add(new TokenWindows.Domain(domain.name(), stream, domain.weight()));
                phases.accept(String.format("domain %s: %,d training tokens", domain.name(), stream.length));
            }
            for (HeldOutSet.Domain domain : HeldOutSet.build(split.heldOut(), tokenizer, BpeTrainer.Vocabulary.BOS,
                    BpeTrainer.Vocabulary.EOS, options.window(), HeldOutSet.WINDOWS_PER_DOMAIN, options.seed(), phases)) {
                heldOut.put(domain.name(), List.of(domain.windows()));
            }
        }
        return new TrainingData(List.copyOf(training), Collections.unmodifiableMap(heldOut));
    }

    /** The windows training samples from. */
    public TokenWindows windows(int window) {
        return new TokenWindows(training, window);
    }

    /** Every domain's held-out windows, in domain order: what the trainer's periodic evaluation measures. */
    public List<TokenWindows.Batch> allHeldOut() {
        return heldOut.values().stream().flatMap(List::stream).toList();
    }
}
