package dev.switchboard.tools.lab;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The size of the models a training experiment trains: smaller than the recipe's so that every run of an experiment
 * fits in minutes on two CPU cores (docs/EXPERIMENTS.md). Heads, experts, vocabulary, optimiser and seed are the
 * recipe's.
 */
final class LabScale {

    @Option(names = "--steps", paramLabel = "N", defaultValue = "300", description = "Optimiser steps per run; default ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "Windows per step; default ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--window", paramLabel = "N", defaultValue = "64", description = "Tokens per window; default ${DEFAULT-VALUE}.")
    int window;

    @Option(names = "--hidden", paramLabel = "N", defaultValue = "64", description = "Hidden size; default ${DEFAULT-VALUE}.")
    int hidden;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "2", description = "Decoder layers; default ${DEFAULT-VALUE}.")
    int layers;

    @Option(names = "--expert-width", paramLabel = "N", defaultValue = "128",
            description = "Inner width of each expert (d_ff) of the reference top-2 model; default ${DEFAULT-VALUE}.")
    int expertWidth;

    /** A usage mistake's message, or null when every value is usable. */
    @Nullable String problem() {
        if (steps < 1 || batch < 1 || window < 2 || hidden < 1 || layers < 1 || expertWidth < 1) {
            return "--steps, --batch, --hidden, --layers and --expert-width must be positive and --window at least 2";
        }
        return null;
    }
}
