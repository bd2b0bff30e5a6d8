package dev.switchboard.app.training;

import dev.switchboard.app.cli.CliUsageException;
import dev.switchboard.app.cli.Flags;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code train --recipe FILE --out DIR [--steps N] [--save-state DIR] [--stop-after N] [--resume DIR]}. */
record TrainArguments(Path recipe, Path out, Integer steps, Path saveState, Integer stopAfter, Path resume) {

    static final String USAGE = "usage: train --recipe FILE --out DIR [--steps N] [--save-state DIR] [--stop-after N] [--resume DIR]\n"
            + "  trains a Mixtral-format model from a recipe (model shape, optimisation, corpus domains);\n"
            + "  the default model: train --recipe app/src/default-model/recipe.json --out app/src/main/resources/default-model\n"
            + "  --save-state DIR saves a resumable state (weights, AdamW moments, step) at every held-out evaluation;\n"
            + "  --stop-after N stops after step N (with --save-state); --resume DIR continues that state, saving into it,\n"
            + "  with the same recipe and --steps";

    TrainArguments {
        if (recipe == null) throw new CliUsageException("--recipe is required");
        if (out == null) throw new CliUsageException("--out is required");
        if (steps != null && steps < 1) throw new CliUsageException("--steps must be positive, got " + steps);
        if (stopAfter != null && stopAfter < 1) throw new CliUsageException("--stop-after must be positive, got " + stopAfter);
        if (resume != null && saveState != null && !resume.equals(saveState)) {
            throw new CliUsageException("--resume saves into the folder it resumes; leave out --save-state");
        }
        if (stopAfter != null && saveState == null && resume == null) {
            throw new CliUsageException("--stop-after needs --save-state DIR to keep what it stops");
        }
    }

    static TrainArguments parse(List<String> args) {
        Flags flags = Flags.parse(args, Set.of("--recipe", "--out", "--steps", "--save-state", "--stop-after", "--resume"));
        return new TrainArguments(flags.path("--recipe"), flags.path("--out"),
                flags.text("--steps") == null ? null : flags.integer("--steps", 0), flags.path("--save-state"),
                flags.text("--stop-after") == null ? null : flags.integer("--stop-after", 0), flags.path("--resume"));
    }

    /** Where the state is saved: the resumed folder, or {@code --save-state}, or nowhere. */
    Path stateDirectory() {
        return resume != null ? resume : saveState;
    }
}
