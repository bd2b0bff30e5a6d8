package dev.switchboard.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.routing.RoutingPhase;
import dev.switchboard.runtime.routing.SwitchRouting;
import dev.switchboard.runtime.routing.TopKRouting;
import dev.switchboard.spi.Expert;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Capacity-limited dispatch as training runs it (Switch top-1, {@link TrainingForward#routing}): a token past its
 * expert's capacity gets no expert output, so its MoE output is zero and only the residual carries it.
 */
class CapacityDispatchTest {

    @Test
    void aTokenPastItsExpertsCapacityGetsNoExpertOutput() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // The router's logits are the hidden state itself: expert 0 scores x0, expert 1 scores x1.
            NDArray gate = manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            LayerExperts layer = LayerExperts.of(gate, List.of(new Scaling(10), new Scaling(100)));
            // Tokens 0, 1 and 2 prefer expert 0, token 3 expert 1. Four tokens over two experts at capacity factor 1.0:
            // capacity ceil(4 · 1.0 / 2) = 2, so expert 0 takes tokens 0 and 1 and token 2 is dropped.
            NDArray hidden = manager.create(new float[] {2, 0, 1, 0, 3, 0, 0, 1}, new Shape(4, 2));
            MoeLayer moe = new MoeLayer(0, new SwitchRouting(1.0), GateWeights.differentiable(false), null, HostCopy.DIRECT);

            MoeOutput output = moe.forward(hidden, layer, RoutingPhase.PREFILL, (fault, view) -> {
                throw new AssertionError(fault.reason());
            }, SequenceOverrides.NONE, null);

            double p2 = Math.exp(2) / (Math.exp(2) + 1); // softmax(2, 0)[0] = 0.8808
            double p1 = Math.exp(1) / (Math.exp(1) + 1); // softmax(1, 0)[0] = softmax(0, 1)[1] = 0.7311
            float[] y = output.output().toFloatArray();
            assertThat(output.decision().droppedTokens()).isEqualTo(1);
            assertThat(output.decision().expertCount(2)).isZero();
            // y = p_j · E_j(x), the weight unrenormalised (Switch): token 0 = 0.8808 · 10 · (2, 0) = (17.616, 0)
            assertThat(y[0]).isCloseTo((float) (p2 * 10 * 2), within(1e-4f));
            assertThat(y[1]).isZero();
            assertThat(y[2]).isCloseTo((float) (p1 * 10), within(1e-4f)); // token 1 = 0.7311 · 10 · (1, 0)
            assertThat(y[3]).isZero();
            assertThat(y[4]).isZero(); // token 2, dropped: no expert output at all
            assertThat(y[5]).isZero();
            assertThat(y[6]).isZero();
            assertThat(y[7]).isCloseTo((float) (p1 * 100), within(1e-3f)); // token 3 = 0.7311 · 100 · (0, 1)
        }
    }

    @Test
    void trainingRoutesAsTheConfigSaysAndRefusesExpertChoice() {
        assertThat(TrainingForward.routing(config("topk", 1.25))).isInstanceOf(TopKRouting.class);
        assertThat(TrainingForward.routing(config("switch", 2.0)))
                .isInstanceOfSatisfying(SwitchRouting.class, s -> assertThat(s.capacityFactor()).isEqualTo(2.0));
        assertThatThrownBy(() -> TrainingForward.routing(config("expert-choice", 1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topk or switch");
    }

    private static MixtralConfig config(String routing, double capacityFactor) {
        return new MixtralConfig(MixtralConfig.MIXTRAL, 32, 64, 2, 4, 2, 8, 4, 2, 1e-5, 10000, 256, 48, false, 1, 2,
                true, routing, capacityFactor, "swiglu");
    }

    /** An expert that multiplies its tokens by a constant. */
    private record Scaling(float factor) implements Expert {
        @Override
        public NDArray forward(NDArray tokens) {
            return tokens.mul(factor);
        }

        @Override
        public long parameterCount() {
            return 0;
        }

        @Override
        public long memoryBytes() {
            return 0;
        }

        @Override
        public void close() {}
    }
}
