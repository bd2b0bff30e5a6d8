package dev.switchboard.runtime.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.fixtures.ReferenceFixture;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Back-propagation through the sparse dispatch: gradients agree with finite differences and stay sparse. */
class TrainableMixtralGradientTest {

    @Test
    void directionalDerivativeMatchesCentralDifferences() {
        ReferenceFixture fixture = ReferenceFixture.named(ReferenceFixture.TINY_F32);
        int[][] inputs = {Arrays.copyOf(fixture.promptIds(), 10)};
        int[][] targets = {Arrays.copyOfRange(fixture.promptIds(), 1, 11)};
        try (NDManager manager = NDManager.newBaseManager();
                Checkpoint checkpoint = fixture.open();
                TrainableMixtral model = TrainableMixtral.fromCheckpoint(checkpoint, 10, manager, DataType.FLOAT64)) {
            double analytic = 0;
            Map<String, NDArray> directions = new HashMap<>();
            SplittableRandom random = new SplittableRandom(3);
            try (NDManager step = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.zeroGradients();
                collector.backward(model.loss(step, inputs, targets, 0.01f, 0.001f).total());
            }
            for (Map.Entry<String, NDArray> parameter : model.parameters().entrySet()) {
                float[] direction = new float[Math.toIntExact(parameter.getValue().size())];
                for (int i = 0; i < direction.length; i++) {
                    direction[i] = (float) random.nextGaussian();
                }
                NDArray d = manager.create(direction, parameter.getValue().getShape()).toType(DataType.FLOAT64, false);
                directions.put(parameter.getKey(), d);
                analytic += parameter.getValue().getGradient().mul(d).sum().getDouble();
            }
            // Parameters in float64 (the mask and rotary tables stay float32): a step of 1e-5 along a unit-variance
            // direction flips no routing decision, and difference and gradient agree to ~2e-6 relative (measured).
            // A gradient path cut anywhere (e.g. the router weights detached) is off by percents.
            float epsilon = 1e-5f;
            double plus = lossAfterShift(model, directions, epsilon, inputs, targets);
            double minus = lossAfterShift(model, directions, -2 * epsilon, inputs, targets);
            lossAfterShift(model, directions, epsilon, inputs, targets);
            double numeric = (plus - minus) / (2 * epsilon);
            assertThat(Math.abs(numeric - analytic)).isLessThan(1e-4 * Math.abs(analytic));
        }
    }

    @Test
    void anExpertThatReceivesNoTokenGetsNoGradient() {
        ReferenceFixture fixture = ReferenceFixture.named(ReferenceFixture.TINY_F32);
        int[][] inputs = {{fixture.promptIds()[0]}};
        int[][] targets = {{fixture.promptIds()[1]}};
        try (NDManager manager = NDManager.newBaseManager();
                Checkpoint checkpoint = fixture.open();
                TrainableMixtral model = TrainableMixtral.fromCheckpoint(checkpoint, 1, manager)) {
            try (NDManager step = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.zeroGradients();
                collector.backward(model.loss(step, inputs, targets, 0f, 0f).total());
            }
            int experts = checkpoint.config().numLocalExperts();
            int k = checkpoint.config().numExpertsPerTok();
            int withGradient = 0;
            for (int expert = 0; expert < experts; expert++) {
                NDArray w1 = model.parameters().get("model.layers.0.block_sparse_moe.experts." + expert + ".w1.weight");
                if (w1.getGradient().abs().sum().getFloat() > 0) {
                    withGradient++;
                }
            }
            // One token, top-k routing: exactly k experts of the layer computed it.
            assertThat(withGradient).isEqualTo(k);
        }
    }

    private static double lossAfterShift(TrainableMixtral model, Map<String, NDArray> directions, float scale,
            int[][] inputs, int[][] targets) {
        for (Map.Entry<String, NDArray> parameter : model.parameters().entrySet()) {
            parameter.getValue().addi(directions.get(parameter.getKey()).mul(scale));
        }
        try (NDManager step = model.parameters().values().iterator().next().getManager().newSubManager()) {
            return model.loss(step, inputs, targets, 0.01f, 0.001f).total().getDouble();
        }
    }
}
