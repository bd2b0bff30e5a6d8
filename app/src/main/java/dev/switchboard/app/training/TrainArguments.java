package dev.switchboard.app.training;

import dev.switchboard.app.cli.CliUsageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        Path recipe = null;
        Path out = null;
        Integer steps = null;
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String flag = rest.remove(0);
            if (rest.isEmpty()) throw new CliUsageException(flag + " needs a value");
            String value = rest.remove(0);
            switch (flag) {
                case "--recipe" -> recipe = Path.of(value);
                case "--out" -> out = Path.of(value);
                case "--steps" -> {
                    try {
                        steps = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new CliUsageException("--steps needs a number, got '" + value + "'");
                    }
                }
                default -> throw new CliUsageException("unknown argument '" + flag + "'");
            }
        }
        return new TrainArguments(recipe, out, steps);
    }
}
