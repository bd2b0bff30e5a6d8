package dev.switchboard.tools.lab;

import dev.switchboard.tools.ToolCommand;
import dev.switchboard.tools.Tools;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * The command line of {@code lab}: one subcommand per experiment, each writing a JSON result and PNG charts
 * (docs/EXPERIMENTS.md). {@code lab} alone is a usage mistake that names them.
 */
@Command(name = "lab", synopsisSubcommandLabel = "EXPERIMENT",
        description = {"Runs one of the routing experiments of docs/EXPERIMENTS.md on a training recipe's corpus and"
                + " writes its JSON result and PNG charts (seeded; each finishes in minutes on two CPU cores).",
                "Example: lab collapse --recipe app/src/default-model/recipe.json --out docs/experiments"})
public final class LabArguments extends ToolCommand implements Tools.Group {

    public LabArguments(PrintStream out) {
        super(out);
    }

    @Override
    public List<Object> subcommands() {
        return List.of(new CollapseCommand(out), new SpecialisationCommand(out), new ExpertsPerTokenCommand(out),
                new CapacityCommand(out), new AblationCommand(out));
    }

    @Override
    protected void check() {
        require(false, "name an experiment: collapse, specialisation, experts-per-token, capacity or ablation");
    }

    @Override
    protected void run() {
        // never reached: check() always refuses
    }
}
