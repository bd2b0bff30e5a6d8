package dev.switchboard.runtime.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * A skipped step's gradients are cleared in their own memory. Clearing them with {@code NDArray.set(Buffer)} swapped
 * a Java buffer in as the gradient's storage, which a later garbage collection freed while backward kept adding into
 * it: the native heap was corrupted (garbage in later float64 gradient checks, crashes in malloc).
 */
class SkippedStepTest {

    @Test
    void clearingANonFiniteGradientWritesZerosIntoTheMemoryItAlreadyHas() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray parameter = manager.create(new float[] {1f, 0f, 3f});
            parameter.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(parameter.log().sum()); // d/dx log x = 1/x: 1, inf, 1/3
            }
            NDArray sameMemory = parameter.getGradient().reshape(-1); // a view: its own handle on the gradient's storage
            assertThat(sameMemory.toFloatArray()).contains(Float.POSITIVE_INFINITY);

            Trainer.clearGradient(parameter);

            assertThat(parameter.getGradient().toFloatArray()).containsOnly(0f);
            assertThat(sameMemory.toFloatArray()).as("the gradient's storage was replaced, not written").containsOnly(0f);
        }
    }
}
