package dev.switchboard.runtime.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Expert-choice routing (Zhou et al. 2022; docs/MOE.md#expert-choice): S = softmax(logits) per token,
 * G, I = TopK(Sᵀ, c) with c = ceil(tokens × capacityFactor / numExperts), weight S[t,e].
 */
class ExpertChoiceRoutingTest {

    /**
     * Logits ln(S) for the 4×3 matrix S (rows sum to 1, so softmax gives S back):
     * <pre>
     *        e0    e1    e2
     * t0   0.30  0.35  0.35
     * t1   0.45  0.45  0.10
     * t2   0.40  0.10  0.50
     * t3   0.34  0.33  0.33
     * </pre>
     * With capacity factor 1.5, c = ceil(4 × 1.5 / 3) = 2:
     * e0 picks t1 (.45), t2 (.40); e1 picks t1 (.45), t0 (.35); e2 picks t2 (.50), t0 (.35).
     * t3 is picked by nobody.
     */
    private static float[] crafted() {
        double[] s = {0.30, 0.35, 0.35, 0.45, 0.45, 0.10, 0.40, 0.10, 0.50, 0.34, 0.33, 0.33};
        float[] logits = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            logits[i] = (float) Math.log(s[i]);
        }
        return logits;
    }

    @Test
    void eachExpertPicksItsTopTokensOnACrafted4x3Example() {
        RoutingDecision d = new ExpertChoiceRouting(1.5).route(crafted(), 4, 3, RoutingContext.of(RoutingPhase.PREFILL));

        assertThat(d.offsets()).containsExactly(0, 2, 4, 6, 6);
        // per token, descending weight; equal weights keep the lower expert first
        assertThat(d.experts()).containsExactly(
                1, 2,       // t0: e1 .35, e2 .35 (tie)
                0, 1,       // t1: e0 .45, e1 .45 (tie)
                2, 0);      // t2: e2 .50 before e0 .40
        assertThat(d.weights()).containsExactly(
                new float[] {0.35f, 0.35f, 0.45f, 0.45f, 0.50f, 0.40f}, within(1e-6f));
        assertThat(d.expertCount(3)).isZero();
        assertThat(d.droppedTokens()).isEqualTo(1);
    }

    @Test
    void perfectLoadBalanceByConstruction() {
        RoutingDecision d = new ExpertChoiceRouting(1.5).route(crafted(), 4, 3, RoutingContext.of(RoutingPhase.PREFILL));
        int[] load = new int[3];
        for (int e : d.experts()) {
            load[e]++;
        }
        assertThat(load).containsExactly(2, 2, 2);
    }

    @Test
    void capacityIsCappedAtTheNumberOfTokensSoATokenCanGetEveryExpert() {
        // c = min(4, ceil(4 × 3 / 3)) = 4: every expert picks every token.
        RoutingDecision d = new ExpertChoiceRouting(3.0).route(crafted(), 4, 3, RoutingContext.of(RoutingPhase.PREFILL));

        assertThat(ExpertChoiceRouting.tokensPerExpert(4, 3, 10.0)).isEqualTo(4);
        assertThat(d.offsets()).containsExactly(0, 3, 6, 9, 12);
        assertThat(d.droppedTokens()).isZero();
        assertThat(new int[] {d.experts()[9], d.experts()[10], d.experts()[11]}).containsExactly(0, 1, 2);
    }

    @Test
    void disabledExpertPicksNothing() {
        RoutingContext ctx = RoutingContext.of(RoutingPhase.PREFILL).withDisabled(new boolean[] {false, false, true});
        RoutingDecision d = new ExpertChoiceRouting(1.5).route(crafted(), 4, 3, ctx);

        for (int e : d.experts()) {
            assertThat(e).isNotEqualTo(2);
        }
        assertThat(d.experts()).hasSize(4);     // 2 enabled experts × c = 2
    }

    @Test
    void refusesDecode() {
        RoutingContext decode = RoutingContext.of(RoutingPhase.DECODE);

        assertThatThrownBy(() -> new ExpertChoiceRouting(2.0).route(new float[3], 1, 3, decode))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("expert-choice routing needs the whole sequence; it cannot route token-by-token "
                        + "decoding, use topk or switch");
    }
}
