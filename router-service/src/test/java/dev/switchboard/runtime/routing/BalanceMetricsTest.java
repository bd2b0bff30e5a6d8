package dev.switchboard.runtime.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Hand-computed cases for the load-balance formulas (docs/MOE.md#balance-metrics). Tolerance 1e-12. */
class BalanceMetricsTest {

    private static final double[] SKEWED = {4, 3, 1, 0}; // mean 2, squared deviations 4+1+1+4 = 10
    private static final double[] UNIFORM = {5, 5, 5, 5};

    @Test
    void skewedLoad() {
        assertThat(BalanceMetrics.coefficientOfVariation(SKEWED)).isCloseTo(Math.sqrt(10.0 / 4) / 2, within(1e-12)); // 0.7906
        assertThat(BalanceMetrics.maxOverMean(SKEWED)).isCloseTo(2.0, within(1e-12));
        assertThat(BalanceMetrics.maxViolation(SKEWED)).isCloseTo(1.0, within(1e-12)); // (4 - 2) / 2
        assertThat(BalanceMetrics.jainIndex(SKEWED)).isCloseTo(64.0 / 104, within(1e-12)); // 8² / (4 · 26)
        assertThat(BalanceMetrics.deadExpertFraction(SKEWED)).isEqualTo(0.25);
        // shares .5, .375, .125: H = 0.97431 nats, exp(H)/4 = 0.662338
        assertThat(BalanceMetrics.loadDiversity(SKEWED)).isCloseTo(0.662337782140526, within(1e-12));
    }

    @Test
    void uniformLoadIsPerfectlyBalanced() {
        assertThat(BalanceMetrics.coefficientOfVariation(UNIFORM)).isZero();
        assertThat(BalanceMetrics.maxOverMean(UNIFORM)).isCloseTo(1.0, within(1e-12));
        assertThat(BalanceMetrics.jainIndex(UNIFORM)).isCloseTo(1.0, within(1e-12));
        assertThat(BalanceMetrics.loadDiversity(UNIFORM)).isCloseTo(1.0, within(1e-12));
        assertThat(BalanceMetrics.deadExpertFraction(UNIFORM)).isZero();
    }

    @Test
    void switchAuxLossIsOneAtUniformRoutingAndNWhenAllOnOneExpert() {
        // docs/MOE.md#switch-load-balancing-loss: N · Σ f_i · P_i, minimum 1 at uniform routing.
        assertThat(BalanceMetrics.switchAuxLoss(new double[] {10, 10, 10, 10}, new double[] {10, 10, 10, 10}, 40))
                .isCloseTo(1.0, within(1e-12));
        assertThat(BalanceMetrics.switchAuxLoss(new double[] {40, 0, 0, 0}, new double[] {40, 0, 0, 0}, 40))
                .isCloseTo(4.0, within(1e-12));
    }

    @Test
    void randomBaselinesMatchMixtralTable5() {
        assertThat(BalanceMetrics.randomSameFirstRate(8)).isEqualTo(0.125);
        assertThat(BalanceMetrics.randomFirstOrSecondRate(8, 2)).isCloseTo(1 - (6.0 / 8) * (5.0 / 7), within(1e-12)); // ≈ 46%
        assertThat(BalanceMetrics.randomFirstOrSecondRate(8, 1)).isEqualTo(0.125);
        // Two experts, top-2: every token holds both, so any two tokens overlap.
        assertThat(BalanceMetrics.randomFirstOrSecondRate(2, 2)).isEqualTo(1.0);
        // Three experts, top-2: two random pairs out of three always share one.
        assertThat(BalanceMetrics.randomFirstOrSecondRate(3, 2)).isEqualTo(1.0);
    }
}
