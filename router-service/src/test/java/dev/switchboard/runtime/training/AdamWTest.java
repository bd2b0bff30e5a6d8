package dev.switchboard.runtime.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link AdamW} updates exactly as DJL's {@code Optimizer.adamW()} configured as training configured it before
 * (the recipe's schedule as the learning-rate tracker, its weight decay): same weights, bit for bit, after several
 * updates through warm-up and decay. So owning the optimiser's state changed no trained model.
 */
class AdamWTest {

    @Test
    void matchesDjlsAdamWBitForBit() {
        TrainingOptions options = new TrainingOptions(6, 1, 2, 3e-3f, 2, 0.01f, 0f, 0f, 1);
        Optimizer djl = Optimizer.adamW().optLearningRateTracker((Tracker) options::learningRateAt)
                .optWeightDecays(options.weightDecay()).build();
        AdamW ours = new AdamW(options);
        SplittableRandom random = new SplittableRandom(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] start = gaussian(random, 64);
            NDArray theirs = manager.create(start, new Shape(8, 8));
            NDArray mine = manager.create(start, new Shape(8, 8));
            mine.setRequiresGradient(true);
            for (int step = 1; step <= options.steps(); step++) {
                float[] gradient = gaussian(random, 64);
                djl.update("w", theirs, manager.create(gradient, new Shape(8, 8)));
                // As in training: the gradient arrives in the weight's own gradient by back-propagation.
                try (NDManager pass = manager.newSubManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(mine.mul(pass.create(gradient, new Shape(8, 8))).sum());
                }
                ours.beginStep();
                try (NDArray applied = mine.getGradient()) {
                    assertThat(applied.toFloatArray()).containsExactly(gradient);
                    ours.update("w", mine, applied);
                }
                assertThat(mine.toFloatArray()).as("step %d", step).containsExactly(theirs.toFloatArray());
                try (NDArray after = mine.getGradient()) {
                    // The trainer relies on this instead of zeroing every gradient before each step.
                    assertThat(after.toFloatArray()).as("gradient after step %d", step).containsOnly(0f);
                }
            }
            assertThat(mine.toFloatArray()).isNotEqualTo(start);
        }
    }

    private static float[] gaussian(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float) random.nextGaussian();
        return values;
    }
}
