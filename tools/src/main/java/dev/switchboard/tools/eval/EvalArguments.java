package dev.switchboard.tools.eval;

import dev.switchboard.tools.ToolCommand;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line of {@code eval}: picocli fills the fields; {@link #check} checks them and {@link #run} runs
 * {@link EvalCommand}.
 */
@Command(name = "eval",
        description = "Measures a Mixtral-format model on a training recipe's held-out split: loss per domain (nats/token,"
                + " bits per byte), expert load and balance per layer, consecutive-token same-expert rates, top tokens per"
                + " expert. --windows and the recipe's window length and seed pick the same windows training measured.")
public final class EvalArguments extends ToolCommand {

    /** The default model's recipe, found when the command runs from a checkout's root. */
    public static final String DEFAULT_RECIPE_FILE = "app/src/default-model/recipe.json";
    private static final Path DEFAULT_RECIPE = Path.of(DEFAULT_RECIPE_FILE);

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "The checkpoint folder.")
    private Path model;

    @Option(names = "--recipe", paramLabel = "FILE", description = "The training recipe; default " + DEFAULT_RECIPE_FILE + " when it exists here.")
    private @Nullable Path recipe;

    @Option(names = "--windows", paramLabel = "N", defaultValue = "16",
            description = "Held-out windows per domain; default ${DEFAULT-VALUE}, as in training.")
    private int windows;

    @Option(names = "--top-tokens", paramLabel = "N", defaultValue = "8",
            description = "Tokens listed per expert, 0 for none; default ${DEFAULT-VALUE}.")
    private int topTokens;

    @Option(names = "--json", description = "Print exactly one JSON object instead of the report.")
    private boolean json;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the report to FILE instead of standard output;"
            + " with --json into a model folder as eval-report.json, the server shows its held-out losses"
            + " (GET /api/stats/eval).")
    private @Nullable Path output;

    public EvalArguments(PrintStream out) {
        super(out);
    }

    @Override
    protected void check() {
        if (recipe == null && Files.isRegularFile(DEFAULT_RECIPE)) {
            recipe = DEFAULT_RECIPE;
        }
        require(recipe != null, "--recipe is required (no " + DEFAULT_RECIPE + " here)");
        require(windows >= 1, "--windows must be positive, got " + windows);
        require(topTokens >= 0, "--top-tokens must be 0 or more, got " + topTokens);
    }

    @Override
    protected void run() {
        new EvalCommand(out).run(this);
    }

    Path model() {
        return model;
    }

    Path recipe() {
        if (recipe == null) throw new IllegalStateException("no recipe: call() checks it first");
        return recipe;
    }

    int windows() {
        return windows;
    }

    int topTokens() {
        return topTokens;
    }

    boolean json() {
        return json;
    }

    @Nullable Path output() {
        return output;
    }
}
