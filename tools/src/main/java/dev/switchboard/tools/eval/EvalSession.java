package dev.switchboard.tools.eval;

import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.model.ModelOptions;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import dev.switchboard.runtime.training.CorpusSplit;
import dev.switchboard.runtime.training.HeldOutSet;
import dev.switchboard.runtime.training.TrainingRecipe;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model loaded for serving with a recipe's held-out windows, measured as {@code eval} measures it, as often as
 * asked: experiments change the model between measurements ({@link #model()}, e.g. an expert masked out through its
 * expert table) and measure again on the same windows. The split ({@link CorpusSplit}) and windows
 * ({@link HeldOutSet}) are training's own.
 */
public final class EvalSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EvalSession.class);

    private final Path modelDirectory;
    private final Path recipeFile;
    private final int windowsPerDomain;
    private final int window;
    private final Checkpoint checkpoint;
    private final MoeTokenizer tokenizer;
    private final MoeModel model;
    private final List<HeldOutSet.Domain> domains;

    private EvalSession(Path modelDirectory, Path recipeFile, int windowsPerDomain, int window, Checkpoint checkpoint,
            MoeTokenizer tokenizer, MoeModel model, List<HeldOutSet.Domain> domains) {
        this.modelDirectory = modelDirectory;
        this.recipeFile = recipeFile;
        this.windowsPerDomain = windowsPerDomain;
        this.window = window;
        this.checkpoint = checkpoint;
        this.tokenizer = tokenizer;
        this.model = model;
        this.domains = domains;
    }

    /** Loads the model in {@code modelDirectory} and draws {@code windowsPerDomain} held-out windows per domain. */
    public static EvalSession open(Path modelDirectory, Path recipeFile, int windowsPerDomain) {
        TrainingRecipe recipe = TrainingRecipe.read(recipeFile);
        CorpusSplit split = CorpusSplit.of(recipe, log::info);
        int window = recipe.options().window();
        Checkpoint checkpoint = Checkpoint.open(modelDirectory);
        MoeTokenizer tokenizer = null;
        MoeModel model = null;
        try {
            tokenizer = MoeTokenizer.load(modelDirectory);
            model = MoeModel.load(checkpoint, ModelOptions.defaults());
            List<HeldOutSet.Domain> domains = HeldOutSet.build(split.heldOut(), tokenizer, model.config().bosTokenId(),
                    model.config().eosTokenId(), window, windowsPerDomain, recipe.options().seed(), log::info);
            return new EvalSession(modelDirectory, recipeFile, windowsPerDomain, window, checkpoint, tokenizer, model, domains);
        } catch (RuntimeException e) {
            if (model != null) model.close();
            if (tokenizer != null) tokenizer.close();
            checkpoint.close();
            throw e;
        }
    }

    /** The loaded model, to change between measurements. */
    public MoeModel model() {
        return model;
    }

    /** Loss per domain, routing per layer, and up to {@code topTokens} tokens per expert, on the model as it is now. */
    public EvalReport evaluate(int topTokens) {
        return new HeldOutEvaluator(model, tokenizer).evaluate(domains, modelDirectory.toString(), recipeFile.toString(),
                window, windowsPerDomain, topTokens);
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            try {
                tokenizer.close();
            } finally {
                checkpoint.close();
            }
        }
    }
}
