package dev.switchboard.runtime.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Switch top-1 with capacity (docs/MOE.md#switch-top-1): j = argmax p, y = p_j · E_j(x),
 * capacity = ceil(tokens / numExperts × capacityFactor), overflow tokens dropped in order.
 */
class SwitchRoutingTest {

    private static final float LN3 = (float) Math.log(3);
    private static final RoutingContext PREFILL = RoutingContext.of(RoutingPhase.PREFILL);

    /** Tokens 0–3 prefer expert 0 with p = (0.75, 0.25); tokens 4–5 prefer expert 1 with p = (0.25, 0.75). */
    private static float[] fourThenTwo() {
        return new float[] {LN3, 0, LN3, 0, LN3, 0, LN3, 0, 0, LN3, 0, LN3};
    }

    @Test
    void capacityRoundsUpAndIsAtLeastOne() {
        assertThat(SwitchRouting.capacity(8, 4, 1.25)).isEqualTo(3);    // ceil(2.5)
        assertThat(SwitchRouting.capacity(6, 2, 1.0)).isEqualTo(3);     // exact share, no rounding
        assertThat(SwitchRouting.capacity(10, 1, 1.1)).isEqualTo(11);   // 11.000000000000002 must not become 12
        assertThat(SwitchRouting.capacity(1, 8, 1.0)).isEqualTo(1);     // one decode token always fits
    }

    @Test
    void overflowDropsExactlyTheLateTokensOfTheFullExpert() {
        // capacity = ceil(6 / 2 × 1.0) = 3: tokens 0,1,2 fill expert 0, token 3 is dropped, 4,5 go to expert 1.
        RoutingDecision d = new SwitchRouting(1.0).route(fourThenTwo(), 6, 2, PREFILL);

        assertThat(d.droppedTokens()).isEqualTo(1);
        assertThat(d.offsets()).containsExactly(0, 1, 2, 3, 3, 4, 5);
        assertThat(d.expertCount(3)).isZero();
        assertThat(d.experts()).containsExactly(0, 0, 0, 1, 1);
        // weight = p_argmax, unnormalised (y = p_j · E_j(x)), not 1
        for (float w : d.weights()) {
            assertThat(w).isCloseTo(0.75f, within(1e-6f));
        }
    }

    @Test
    void smallerCapacityFactorDropsMore() {
        // capacity = ceil(6 / 2 × 0.5) = 2: tokens 2 and 3 are dropped.
        RoutingDecision d = new SwitchRouting(0.5).route(fourThenTwo(), 6, 2, PREFILL);

        assertThat(d.droppedTokens()).isEqualTo(2);
        assertThat(d.offsets()).containsExactly(0, 1, 2, 2, 2, 3, 4);
        assertThat(d.experts()).containsExactly(0, 0, 1, 1);
    }

    @Test
    void largerCapacityFactorDropsNothing() {
        // capacity = ceil(6 / 2 × 1.25) = 4: all four expert-0 tokens fit.
        RoutingDecision d = new SwitchRouting(1.25).route(fourThenTwo(), 6, 2, PREFILL);

        assertThat(d.droppedTokens()).isZero();
        assertThat(d.experts()).containsExactly(0, 0, 0, 0, 1, 1);
    }

    @Test
    void disabledExpertSendsTokensToTheRestWithRenormalisedProbability() {
        RoutingContext ctx = PREFILL.withDisabled(new boolean[] {true, false});
        RoutingDecision d = new SwitchRouting(2.0).route(new float[] {LN3, 0}, 1, 2, ctx);

        assertThat(d.experts()).containsExactly(1);
        assertThat(d.weights()).containsExactly(1f);    // only expert left: p = 1
    }

    @Test
    void selectionBiasPicksTheExpertButTheWeightStaysUnbiased() {
        RoutingContext ctx = PREFILL.withSelectionBias(new float[] {0f, 0.6f});
        RoutingDecision d = new SwitchRouting(1.0).route(new float[] {LN3, 0}, 1, 2, ctx);

        assertThat(d.experts()).containsExactly(1);     // 0.25 + 0.6 > 0.75
        assertThat(d.weights()[0]).isCloseTo(0.25f, within(1e-6f)); // biased gather would be 0.85
    }

    @Test
    void rejectsNonPositiveCapacityFactor() {
        assertThatThrownBy(() -> new SwitchRouting(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity factor > 0");
    }
}
