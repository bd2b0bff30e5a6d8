package dev.switchboard.runtime.training;

/**
 * Optimisation settings of one training run.
 *
 * @param steps optimiser steps
 * @param batchSize windows per step
 * @param window tokens per window
 * @param learningRate peak AdamW learning rate, reached after {@code warmupSteps} and cosine-decayed to a tenth
 * @param warmupSteps linear warm-up steps
 * @param weightDecay AdamW decoupled weight decay
 * @param balanceWeight weight of the load-balancing loss (Switch/Mixtral use 0.01 / 0.001)
 * @param zWeight weight of the router z-loss (ST-MoE uses 0.001)
 * @param seed seeds initialisation and window sampling
 */
public record TrainingOptions(int steps, int batchSize, int window, float learningRate, int warmupSteps,
        float weightDecay, float balanceWeight, float zWeight, long seed) {

    public TrainingOptions {
        if (steps <= 0 || batchSize <= 0 || window <= 1 || warmupSteps < 0) {
            throw new IllegalArgumentException("steps, batch size and window must be positive, window above 1");
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
    }

    /** The learning rate of 1-based step {@code step}. */
    public float learningRateAt(int step) {
        if (step <= warmupSteps) {
            return learningRate * step / Math.max(1, warmupSteps);
        }
        double progress = (step - warmupSteps) / (double) Math.max(1, steps - warmupSteps);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, progress)));
        return (float) (learningRate * (0.1 + 0.9 * cosine));
    }
}
