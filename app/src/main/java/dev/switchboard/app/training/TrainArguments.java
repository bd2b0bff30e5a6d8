package dev.switchboard.app.training;

import dev.switchboard.app.cli.CliUsageException;
import dev.switchboard.app.cli.Flags;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code train --recipe FILE --out DIR [--steps N]}. */
record TrainArguments(Path recipe, Path out, Integer steps) {

    static final String USAGE = "usage: train --recipe FILE --out DIR [--steps N]\n"
            + "  trains a Mixtral-format model from a recipe (model shape, optimisation, corpus domains);\n"
            + "  the default model: train --recipe app/src/default-model/recipe.json --out app/src/main/resources/default-model";

    TrainArguments {
        if (recipe == null) throw new CliUsageException("--recipe is required");
        if (out == null) throw new CliUsageException("--out is required");
        if (steps != null && steps < 1) throw new CliUsageException("--steps must be positive, got " + steps);
    }

    static TrainArguments parse(List<String> args) {
        Flags flags = Flags.parse(args, Set.of("--recipe", "--out", "--steps"));
        return new TrainArguments(flags.path("--recipe"), flags.path("--out"),
                flags.text("--steps") == null ? null : flags.integer("--steps", 0));
    }
}
