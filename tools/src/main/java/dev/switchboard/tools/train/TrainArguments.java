package dev.switchboard.tools.train;

import dev.switchboard.tools.ToolCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line of {@code train}: picocli fills the fields; {@link #check} checks them and {@link #run} runs
 * {@link TrainCommand}.
 */
@Command(name = "train",
        description = {"Trains a Mixtral-format model from a recipe (model shape, optimisation, corpus domains) and writes"
                + " a Hugging Face folder, printing progress as it goes.",
                "The default model: train --recipe app/src/default-model/recipe.json --out app/src/main/resources/default-model"})
public final class TrainArguments extends ToolCommand {

    @Option(names = "--recipe", paramLabel = "FILE", required = true, description = "The training recipe (JSON).")
    private Path recipe;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where the trained model is written.")
    private Path outDir;

    @Option(names = "--steps", paramLabel = "N", description = "Train this many steps instead of the recipe's.")
    private @Nullable Integer steps;

    public TrainArguments(PrintStream out) {
        super(out);
    }

    @Override
    protected void check() {
        require(steps == null || steps >= 1, "--steps must be positive, got " + steps);
    }

    @Override
    protected void run() {
        new TrainCommand(out).run(this);
    }

    Path recipe() {
        return recipe;
    }

    Path out() {
        return outDir;
    }

    @Nullable Integer steps() {
        return steps;
    }
}
