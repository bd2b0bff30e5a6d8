package dev.switchboard.tools.eval;

import dev.switchboard.runtime.DjlOffline;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.model.ModelOptions;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import dev.switchboard.runtime.training.CorpusSplit;
import dev.switchboard.runtime.training.HeldOutSet;
import dev.switchboard.runtime.training.TrainingRecipe;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar switchboard.jar eval ...}: measures a model on a recipe's held-out split, with the corpus
 * split ({@link CorpusSplit}) and held-out windows ({@link HeldOutSet}) that training itself uses. Prints a
 * human-readable report, or exactly one JSON object with {@code --json}, to stdout or to {@code --output}; progress
 * goes to the log (stderr).
 */
public final class EvalCommand {

    private static final Logger log = LoggerFactory.getLogger(EvalCommand.class);

    private final PrintStream out;

    public EvalCommand(PrintStream out) {
        this.out = out;
    }

    public void run(EvalArguments arguments) {
        DjlOffline.enforce();
        String report = render(evaluate(arguments), arguments.json());
        if (arguments.output() == null) {
            out.println(report);
            return;
        }
        try {
            Files.writeString(arguments.output(), report + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(arguments.output() + ": cannot write the report", e);
        }
        out.println("wrote " + arguments.output().toAbsolutePath());
    }

    static EvalReport evaluate(EvalArguments arguments) {
        TrainingRecipe recipe = TrainingRecipe.read(arguments.recipe());
        CorpusSplit split = CorpusSplit.of(recipe, log::info);
        int window = recipe.options().window();
        try (Checkpoint checkpoint = Checkpoint.open(arguments.model());
                MoeTokenizer tokenizer = MoeTokenizer.load(arguments.model());
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults())) {
            MixtralConfig config = model.config();
            List<HeldOutSet.Domain> domains = HeldOutSet.build(split.heldOut(), tokenizer, config.bosTokenId(),
                    config.eosTokenId(), window, arguments.windows(), recipe.options().seed(), log::info);
            return new HeldOutEvaluator(model, tokenizer).evaluate(domains, arguments.model().toString(),
                    arguments.recipe().toString(), window, arguments.windows(), arguments.topTokens());
        }
    }

    static String render(EvalReport report, boolean json) {
        return json ? EvalJson.render(report, Instant.now()) : EvalText.render(report);
    }
}
