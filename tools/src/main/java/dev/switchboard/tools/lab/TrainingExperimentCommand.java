package dev.switchboard.tools.lab;

import dev.switchboard.runtime.DjlOffline;
import dev.switchboard.tools.ToolCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the training experiments share: the recipe and output options, the scale of the models, and the run itself —
 * train every variant on the same data ({@link ExperimentTraining}), write {@code <name>.json}, draw the charts and
 * print a summary.
 */
abstract class TrainingExperimentCommand extends ToolCommand {

    @Mixin
    LabFiles files;

    @Mixin
    LabScale scale;

    @Option(names = "--redraw", description = "Draw the charts again from the JSON result already in --out, without training.")
    boolean redraw;

    TrainingExperimentCommand(PrintStream out) {
        super(out);
    }

    /** The experiment's name: its JSON file's and its charts' prefix. */
    abstract String name();

    /** The models to train, given the scaled recipe (its router-loss weights, expert width). */
    abstract List<Variant> variants(ExperimentTraining training);

    /** Draws the experiment's charts into {@code out}. */
    abstract void charts(TrainingExperiment result, Path out);

    @Override
    protected void check() {
        require(files.problem() == null, files.problem());
        String problem = scale.problem();
        require(problem == null, problem);
    }

    @Override
    protected void run() {
        if (redraw) {
            charts(ResultFile.read(files.out().resolve(name() + ".json"), TrainingExperiment.class), files.out());
            out.println("redrew the charts of " + files.out().resolve(name() + ".json"));
            return;
        }
        DjlOffline.enforce();
        ExperimentTraining training = ExperimentTraining.prepare(files.recipe(), scale);
        TrainingExperiment result = training.run(name(), variants(training));
        ResultFile.write(files.out().resolve(name() + ".json"), result);
        charts(result, files.out());
        out.print(TrainingSummary.render(result));
        out.println("wrote " + files.out().resolve(name() + ".json") + " and its charts");
    }
}
