package dev.switchboard.tools.calibrate;

import dev.switchboard.tools.ToolCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line of {@code calibrate}: picocli fills the fields; {@link #run} runs {@link CalibrateCommand}. */
@Command(name = "calibrate",
        description = {"Fits one expert's router rows (every layer) by gradient on a recipe domain's training text, every"
                + " other parameter frozen, and reports each domain's held-out loss and the expert's share of the top-k"
                + " places before and after.",
                "Example: calibrate --model app/src/main/resources/default-model --recipe app/src/default-model/recipe.json"
                        + " --domain arithmetic --expert 3"})
public final class CalibrateArguments extends ToolCommand {

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "A Mixtral-format model folder.")
    private Path model;

    @Option(names = "--recipe", paramLabel = "FILE", required = true, description = "The recipe whose corpus and split to use.")
    private Path recipe;

    @Option(names = "--domain", paramLabel = "NAME", required = true, description = "The recipe domain to calibrate on.")
    private String domain;

    @Option(names = "--expert", paramLabel = "E", required = true, description = "The expert whose router rows are fitted.")
    private int expert;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "30", description = "Adam steps (default ${DEFAULT-VALUE}).")
    private int steps;

    @Option(names = "--learning-rate", paramLabel = "LR", defaultValue = "0.01",
            description = "Adam step size on the rows (default ${DEFAULT-VALUE}).")
    private float learningRate;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "4", description = "Windows per step (default ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--windows", paramLabel = "N", defaultValue = "8",
            description = "Held-out windows measured per domain (default ${DEFAULT-VALUE}).")
    private int windows;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the calibrated model (float32) and its tokenizer here.")
    private @Nullable Path out;

    public CalibrateArguments(PrintStream out) {
        super(out);
    }

    @Override
    protected void check() {
        require(expert >= 0, "--expert must be 0 or more, got " + expert);
        require(steps >= 1 && batch >= 1 && windows >= 1, "--steps, --batch and --windows must be positive");
        require(learningRate > 0, "--learning-rate must be above 0, got " + learningRate);
    }

    @Override
    protected void run() {
        new CalibrateCommand(super.out).run(this);
    }

    Path model() {
        return model;
    }

    Path recipe() {
        return recipe;
    }

    String domain() {
        return domain;
    }

    int expert() {
        return expert;
    }

    int steps() {
        return steps;
    }

    float learningRate() {
        return learningRate;
    }

    int batch() {
        return batch;
    }

    int windows() {
        return windows;
    }

    @Nullable Path outDir() {
        return out;
    }
}
