package dev.switchboard.runtime.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A routing override on hand-picked logits (docs/MOE.md#routing-override), and the stacking of row ranges
 * routed apart, which is how a batch with one overridden sequence is routed.
 */
class RoutingOverrideRoutingTest {

    private static final RoutingContext PREFILL = RoutingContext.of(RoutingPhase.PREFILL);

    /** logits ln(1..4): softmax = (0.1, 0.2, 0.3, 0.4). */
    private static float[] tenths() {
        return new float[] {(float) Math.log(1), (float) Math.log(2), (float) Math.log(3), (float) Math.log(4)};
    }

    private static RoutingOverride oneLayer(int k, boolean[] masked, float[] bias) {
        return new RoutingOverride(k, new boolean[][] {masked}, new float[][] {bias});
    }

    @Test
    void stackingRowRangesRoutedApartEqualsRoutingAllRowsAtOnce() {
        SplittableRandom random = new SplittableRandom(7);
        float[] logits = new float[7 * 5]; // (7 tokens, 5 experts)
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) random.nextGaussian();
        }
        TopKRouting routing = TopKRouting.renormalised(2);
        RoutingDecision all = routing.route(logits, 7, 5, PREFILL);
        RoutingDecision stacked = RoutingDecision.stack(List.of(
                routing.route(java.util.Arrays.copyOfRange(logits, 0, 15), 3, 5, PREFILL),
                routing.route(java.util.Arrays.copyOfRange(logits, 15, 35), 4, 5, PREFILL)));
        assertThat(stacked.tokens()).isEqualTo(7);
        assertThat(stacked.offsets()).containsExactly(all.offsets());
        assertThat(stacked.experts()).containsExactly(all.experts());
        assertThat(stacked.weights()).containsExactly(all.weights());
        assertThat(stacked.probabilities()).containsExactly(all.probabilities());
    }

    @Test
    void stackingKeepsEachPartsOwnNumberOfExpertsPerToken() {
        RoutingDecision one = TopKRouting.renormalised(1).route(tenths(), 1, 4, PREFILL);
        RoutingDecision three = TopKRouting.renormalised(3).route(tenths(), 1, 4, PREFILL);
        RoutingDecision stacked = RoutingDecision.stack(List.of(one, three));
        assertThat(stacked.offsets()).containsExactly(0, 1, 4);
        assertThat(stacked.experts()).containsExactly(3, 3, 2, 1);
        assertThatThrownBy(() -> RoutingDecision.stack(List.of(one, TopKRouting.renormalised(1).route(new float[3], 1, 3, PREFILL))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same 4 experts");
    }

    @Test
    void maskKAndLogitBiasApplyTogether() {
        // Mask expert 3 (p 0.4); bias expert 0 by ln 6: the unnormalised tilted p over {0,1,2} is 0.6, 0.2, 0.3.
        RoutingOverride override = oneLayer(2, new boolean[] {false, false, false, true},
                new float[] {(float) Math.log(6), 0, 0, 0});
        RoutingDecision d = override.route(TopKRouting.renormalised(1), 0, tenths(), 1, 4, PREFILL);
        assertThat(d.probabilities()).containsExactly(new float[] {6f / 11, 2f / 11, 3f / 11, 0f}, within(1e-6f));
        assertThat(d.experts()).as("k = 2 from the override, not the served k = 1").containsExactly(0, 2);
        assertThat(d.weights()).containsExactly(new float[] {6f / 9, 3f / 9}, within(1e-6f));
    }

    @Test
    void theOverridesMaskAddsToTheLayersOwnUnlessNothingWouldBeLeft() {
        RoutingContext expertTwoDisabled = PREFILL.withDisabled(new boolean[] {false, false, true, false});
        RoutingOverride maskThree = oneLayer(0, new boolean[] {false, false, false, true}, new float[0]);
        assertThat(maskThree.route(TopKRouting.renormalised(2), 0, tenths(), 1, 4, expertTwoDisabled).experts())
                .containsExactly(1, 0);
        RoutingOverride maskAllButTwo = oneLayer(0, new boolean[] {true, true, false, true}, new float[0]);
        assertThat(maskAllButTwo.route(TopKRouting.renormalised(2), 0, tenths(), 1, 4, expertTwoDisabled).experts())
                .as("nothing left: the layer's own mask alone").containsExactly(3, 1);
    }

    @Test
    void indicesBeyondTheLayerAreIgnoredAndMissingBiasIsZero() {
        // Written for 6 experts, the layer now has 4 (experts were removed meanwhile).
        RoutingOverride override = oneLayer(0, new boolean[] {false, false, false, false, true, true},
                new float[] {0, 0, 0, 0, 9, 9});
        RoutingDecision d = override.route(TopKRouting.renormalised(2), 0, tenths(), 1, 4, PREFILL);
        assertThat(d.experts()).containsExactly(3, 2);
        // Written for 2 experts, the layer now has 4: experts 2 and 3 get no bias and no mask.
        RoutingOverride shorter = oneLayer(0, new boolean[] {true, false}, new float[] {0, (float) Math.log(3)});
        assertThat(shorter.route(TopKRouting.renormalised(2), 0, tenths(), 1, 4, PREFILL).experts()).containsExactly(1, 3);
    }

    @Test
    void refusesANegativeKANonFiniteBiasAndAStrategyThatIsNotTopK() {
        assertThatThrownBy(() -> oneLayer(-1, new boolean[0], new float[0])).hasMessageContaining("expertsPerToken");
        assertThatThrownBy(() -> oneLayer(0, new boolean[0], new float[] {Float.NaN})).hasMessageContaining("finite");
        assertThatThrownBy(() -> oneLayer(0, new boolean[0], new float[] {Float.POSITIVE_INFINITY})).hasMessageContaining("finite");
        assertThat(RoutingOverride.supports(new SwitchRouting(1.0))).isFalse();
        assertThatThrownBy(() -> oneLayer(0, new boolean[0], new float[0]).route(new SwitchRouting(1.0), 0, tenths(), 1, 4, PREFILL))
                .hasMessageContaining("top-k");
    }
}
