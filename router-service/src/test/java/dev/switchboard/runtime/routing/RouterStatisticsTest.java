package dev.switchboard.runtime.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Hand-computed checks of the losses in docs/MOE.md#losses (Switch, z-loss, HF). Tolerance 1e-6. */
class RouterStatisticsTest {

    private static final double TOL = 1e-6;
    private static final double LN2 = Math.log(2);
    private static final RoutingContext PREFILL = RoutingContext.of(RoutingPhase.PREFILL);

    /** Token t's logits are ln of (0.7, 0.1, 0.1, 0.1) rotated so expert t gets 0.7. */
    private static float[] rotatedPeaks() {
        float[] logits = new float[16];
        for (int t = 0; t < 4; t++) {
            for (int e = 0; e < 4; e++) {
                logits[t * 4 + e] = (float) Math.log(e == t ? 0.7 : 0.1);
            }
        }
        return logits;
    }

    @Test
    void switchAuxLossIsOneAtPerfectlyUniformRouting() {
        // f_i = 1/4 (each expert first choice once), P_i = (0.7 + 3·0.1)/4 = 1/4: N·Σ f_i·P_i = 4·4·(1/16) = 1
        float[] logits = rotatedPeaks();
        RoutingDecision d = TopKRouting.renormalised(1).route(logits, 4, 4, PREFILL);
        LayerRoutingStats s = RouterStatistics.compute(3, logits, d);

        assertThat(s.layer()).isEqualTo(3);
        assertThat(s.firstChoice()).containsExactly(1, 1, 1, 1);
        assertThat(s.routerProbabilitySum()).containsExactly(new double[] {1, 1, 1, 1}, within(TOL));
        assertThat(s.auxLoss()).isCloseTo(1.0, within(TOL));
        assertThat(RouterStatistics.hfLoadBalancingLoss(s)).isCloseTo(1.0, within(TOL));
    }

    @Test
    void hfLossUsesAllTopKChoicesSoItsMinimumIsK() {
        // top-2: second choices all tie at 0.1 -> lowest id: t0 {0,1}, t1 {1,0}, t2 {2,0}, t3 {3,0}
        // anyChoice = (4,2,1,1); HF: N·Σ (any_i/T)·P_i = 4·(8/4)·(1/4) = 2 = k. Switch (first choice) stays 1.
        float[] logits = rotatedPeaks();
        RoutingDecision d = TopKRouting.renormalised(2).route(logits, 4, 4, PREFILL);
        LayerRoutingStats s = RouterStatistics.compute(0, logits, d);

        assertThat(s.anyChoice()).containsExactly(4, 2, 1, 1);
        assertThat(RouterStatistics.hfLoadBalancingLoss(s)).isCloseTo(2.0, within(TOL));
        assertThat(s.auxLoss()).isCloseTo(1.0, within(TOL));
    }

    @Test
    void nonUniformAuxZLossAndEntropyByHand() {
        // token 0: logits (ln3, 0) -> p = (0.75, 0.25); token 1: logits (0, 0) -> p = (0.5, 0.5), tie -> expert 0
        float[] logits = {(float) Math.log(3), 0, 0, 0};
        RoutingDecision d = TopKRouting.renormalised(1).route(logits, 2, 2, PREFILL);
        LayerRoutingStats s = RouterStatistics.compute(0, logits, d);

        // f = (1, 0), P = (0.625, 0.375): aux = 2 · (1 · 0.625) = 1.25
        assertThat(s.firstChoice()).containsExactly(2, 0);
        assertThat(s.auxLoss()).isCloseTo(1.25, within(TOL));
        // ST-MoE z-loss: mean_t (logsumexp_j x_tj)² = ((ln 4)² + (ln 2)²) / 2 = 2.5 (ln 2)²
        assertThat(s.zLoss()).isCloseTo(2.5 * LN2 * LN2, within(TOL));
        // entropy: mean of −Σ p ln p = (−0.75 ln 0.75 − 0.25 ln 0.25 + ln 2) / 2
        double h0 = -0.75 * Math.log(0.75) - 0.25 * Math.log(0.25);
        assertThat(s.entropy()).isCloseTo((h0 + LN2) / 2, within(TOL));
        assertThat(s.tokens()).isEqualTo(2);
        assertThat(s.droppedTokens()).isZero();
    }

    @Test
    void droppedTokensStillCountInSwitchFractionAtTheirArgmax() {
        // 4 tokens all p = (0.75, 0.25); capacity = ceil(4/2 × 1) = 2 -> tokens 2, 3 dropped.
        float ln3 = (float) Math.log(3);
        float[] logits = {ln3, 0, ln3, 0, ln3, 0, ln3, 0};
        RoutingDecision d = new SwitchRouting(1.0).route(logits, 4, 2, PREFILL);
        LayerRoutingStats s = RouterStatistics.compute(0, logits, d);

        assertThat(s.droppedTokens()).isEqualTo(2);
        assertThat(s.firstChoice()).containsExactly(2, 0);   // dispatched load
        // Switch f is the router's choice before capacity: f = (1, 0), P = (0.75, 0.25): aux = 2 · 0.75 = 1.5
        // (counting only dispatched tokens would give 2 · 0.5 · 0.75 = 0.75)
        assertThat(s.auxLoss()).isCloseTo(1.5, within(TOL));
    }

    @Test
    void emptyBatchGivesZeros() {
        RoutingDecision d = TopKRouting.renormalised(2).route(new float[0], 0, 4, PREFILL);
        LayerRoutingStats s = RouterStatistics.compute(1, new float[0], d);

        assertThat(s.tokens()).isZero();
        assertThat(s.auxLoss()).isZero();
        assertThat(s.zLoss()).isZero();
        assertThat(s.firstChoice()).hasSize(4);
    }

    @Test
    void statisticsFromSumsMadeElsewhereEqualThoseFromTheRowsAndRowsThatStayedOnTheDeviceAreRefused() {
        // tokens 1..2 of the rotated peaks: P sums (0.1+0.1, 0.7+0.1, 0.1+0.7, 0.1+0.1), entropy and z per token known
        float[] logits = rotatedPeaks();
        RoutingDecision d = TopKRouting.renormalised(2).route(logits, 4, 4, PREFILL);
        LayerRoutingStats fromRows = RouterStatistics.compute(1, logits, d, 1, 3);
        double entropyPerToken = -(0.7 * Math.log(0.7) + 3 * 0.1 * Math.log(0.1));
        double lse = Math.log(0.7 + 0.3); // logsumexp(ln p) = ln Σ p = 0
        LayerRoutingStats fromSums = RouterStatistics.fromSums(1, d, 1, 3, new double[] {0.2, 0.8, 0.8, 0.2},
                2 * entropyPerToken, 2 * lse * lse);

        assertThat(fromSums.firstChoice()).containsExactly(fromRows.firstChoice());
        assertThat(fromSums.anyChoice()).containsExactly(fromRows.anyChoice());
        assertThat(fromSums.routerProbabilitySum()).containsExactly(fromRows.routerProbabilitySum(), within(TOL));
        assertThat(fromSums.auxLoss()).isCloseTo(fromRows.auxLoss(), within(TOL));
        assertThat(fromSums.entropy()).isCloseTo(fromRows.entropy(), within(TOL));
        assertThat(fromSums.zLoss()).isCloseTo(fromRows.zLoss(), within(TOL));

        RoutingDecision onDevice = new RoutingDecision(4, 4, d.offsets(), d.experts(), d.weights(), new float[0], 0);
        assertThat(onDevice.hasProbabilities()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RouterStatistics.compute(1, logits, onDevice, 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stayed on the device");
    }
}
