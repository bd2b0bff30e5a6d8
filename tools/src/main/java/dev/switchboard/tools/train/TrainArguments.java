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
                + " a Hugging Face folder, printing progress as it goes (a progress bar with ETA on a terminal).",
                "The default model: train --recipe app/src/default-model/recipe.json --out app/src/main/resources/default-model",
                "Stop and resume: train ... --save-state DIR --stop-after 500, later train ... --resume DIR (same recipe"
                        + " and --steps): the result equals an uninterrupted run, bit for bit on one PyTorch thread."})
public final class TrainArguments extends ToolCommand {

    @Option(names = "--recipe", paramLabel = "FILE", required = true, description = "The training recipe (JSON).")
    private Path recipe;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where the trained model is written.")
    private Path outDir;

    @Option(names = "--steps", paramLabel = "N", description = "Train this many steps instead of the recipe's.")
    private @Nullable Integer steps;

    @Option(names = "--save-state", paramLabel = "DIR", description = "Save a resumable state (float32 weights, AdamW"
            + " moments, step and data position) here at every held-out evaluation and after the last step run.")
    private @Nullable Path saveState;

    @Option(names = "--stop-after", paramLabel = "N", description = "Stop after step N, its state saved (needs --save-state).")
    private @Nullable Integer stopAfter;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the state saved in DIR, saving into it.")
    private @Nullable Path resume;

    public TrainArguments(PrintStream out) {
        super(out);
    }

    @Override
    protected void check() {
        require(steps == null || steps >= 1, "--steps must be positive, got " + steps);
        require(stopAfter == null || stopAfter >= 1, "--stop-after must be positive, got " + stopAfter);
        require(resume == null || saveState == null || resume.equals(saveState),
                "--resume saves into the folder it resumes; leave out --save-state");
        require(stopAfter == null || saveState != null || resume != null,
                "--stop-after needs --save-state DIR to keep what it stops");
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

    @Nullable Integer stopAfter() {
        return stopAfter;
    }

    @Nullable Path resume() {
        return resume;
    }

    /** Where the state is saved: the resumed folder, or {@code --save-state}, or nowhere. */
    @Nullable Path stateDirectory() {
        return resume != null ? resume : saveState;
    }
}
