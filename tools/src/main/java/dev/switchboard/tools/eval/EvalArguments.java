package dev.switchboard.tools.eval;

import dev.switchboard.tools.UsageCheck;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The command line of {@code eval}: picocli fills the fields; {@link #call} checks them and runs {@link EvalCommand}. */
@Command(name = "eval",
        description = "Measures a Mixtral-format model on a training recipe's held-out split: loss per domain (nats/token,"
                + " bits per byte), expert load and balance per layer, consecutive-token same-expert rates, top tokens per"
                + " expert. --windows and the recipe's window length and seed pick the same windows training measured.")
public final class EvalArguments implements Callable<Integer> {

    /** The default model's recipe, found when the command runs from a checkout's root. */
    private static final String DEFAULT_RECIPE_FILE = "app/src/default-model/recipe.json";
    private static final Path DEFAULT_RECIPE = Path.of(DEFAULT_RECIPE_FILE);

    private final PrintStream out;

    @Spec
    private CommandSpec spec;

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

    public EvalArguments(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        if (recipe == null && Files.isRegularFile(DEFAULT_RECIPE)) {
            recipe = DEFAULT_RECIPE;
        }
        UsageCheck.require(spec, recipe != null, "--recipe is required (no " + DEFAULT_RECIPE + " here)");
        UsageCheck.require(spec, windows >= 1, "--windows must be positive, got " + windows);
        UsageCheck.require(spec, topTokens >= 0, "--top-tokens must be 0 or more, got " + topTokens);
        new EvalCommand(out).run(this);
        return 0;
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
}
