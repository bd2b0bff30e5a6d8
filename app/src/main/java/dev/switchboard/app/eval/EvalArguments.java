package dev.switchboard.app.eval;

import dev.switchboard.app.cli.CliUsageException;
import dev.switchboard.app.cli.Flags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code eval --model DIR [--recipe FILE] [--windows N] [--top-tokens N] [--json]}. */
record EvalArguments(Path model, Path recipe, int windows, int topTokens, boolean json) {

    /** The default model's recipe, found when the command runs from a checkout's root. */
    static final Path DEFAULT_RECIPE = Path.of("app/src/default-model/recipe.json");

    static final String USAGE = "usage: eval --model DIR [--recipe FILE] [--windows N] [--top-tokens N] [--json]\n"
            + "  measures a Mixtral-format model on a training recipe's held-out split: loss per domain (nats/token,\n"
            + "  bits per byte), expert load and balance per layer, consecutive-token same-expert rates, top tokens\n"
            + "  per expert. --recipe defaults to " + DEFAULT_RECIPE + "; --windows (held-out windows per domain,\n"
            + "  default 16 as in training) and the recipe's window length and seed pick the same windows training measured.";

    EvalArguments {
        if (model == null) throw new CliUsageException("--model is required");
        if (recipe == null) throw new CliUsageException("--recipe is required (no " + DEFAULT_RECIPE + " here)");
        if (windows < 1) throw new CliUsageException("--windows must be positive, got " + windows);
        if (topTokens < 0) throw new CliUsageException("--top-tokens must be 0 or more, got " + topTokens);
    }

    static EvalArguments parse(List<String> args) {
        List<String> valued = new ArrayList<>(args);
        boolean json = valued.remove("--json"); // the one flag without a value
        Flags flags = Flags.parse(valued, Set.of("--model", "--recipe", "--windows", "--top-tokens"));
        Path recipe = flags.path("--recipe");
        if (recipe == null && Files.isRegularFile(DEFAULT_RECIPE)) {
            recipe = DEFAULT_RECIPE;
        }
        return new EvalArguments(flags.path("--model"), recipe, flags.integer("--windows", 16),
                flags.integer("--top-tokens", 8), json);
    }
}
