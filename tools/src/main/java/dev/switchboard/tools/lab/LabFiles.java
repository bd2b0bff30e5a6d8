package dev.switchboard.tools.lab;

import dev.switchboard.tools.eval.EvalArguments;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** What every experiment reads and where it writes: the recipe (its corpus and split) and the output folder. */
final class LabFiles {

    private static final Path DEFAULT_RECIPE = Path.of(EvalArguments.DEFAULT_RECIPE_FILE);

    @Option(names = "--recipe", paramLabel = "FILE", description = "The training recipe whose corpus, split and seed the"
            + " experiment uses; default " + EvalArguments.DEFAULT_RECIPE_FILE + " when it exists here.")
    private @Nullable Path recipe;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "docs/experiments",
            description = "Where the JSON result and the PNG charts are written; default ${DEFAULT-VALUE}.")
    private Path out;

    /** The recipe, or null when none was given and there is no default here. */
    @Nullable Path recipeOrDefault() {
        return recipe != null ? recipe : Files.isRegularFile(DEFAULT_RECIPE) ? DEFAULT_RECIPE : null;
    }

    /** A usage mistake's message when there is no recipe to use, else null. */
    @Nullable String problem() {
        return recipeOrDefault() == null ? "--recipe is required (no " + DEFAULT_RECIPE + " here)" : null;
    }

    Path recipe() {
        Path found = recipeOrDefault();
        if (found == null) throw new IllegalStateException("no recipe: check() asks for one first");
        return found;
    }

    Path out() {
        return out;
    }
}
