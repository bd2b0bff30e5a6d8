package dev.switchboard.runtime.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * HF Mixtral top-k routing (docs/MOE.md#token-choice-top-k): p = softmax(logits) over all experts, select top-k,
 * w = p_sel / Σ p_sel when normTopkProb, else w = p_sel. Logits are ln(q) for hand-picked q so
 * that softmax(logits) = q / Σ q exactly in closed form. Tolerance 1e-6 (float32 round-off).
 */
class TopKRoutingTest {

    private static final double TOL = 1e-6;
    private static final RoutingContext PREFILL = RoutingContext.of(RoutingPhase.PREFILL);

    /** logits ln(1..4): softmax = (0.1, 0.2, 0.3, 0.4). */
    private static float[] tenths() {
        return new float[] {(float) Math.log(1), (float) Math.log(2), (float) Math.log(3), (float) Math.log(4)};
    }

    @Test
    void softmaxOverAllExpertsThenTopTwoRenormalised() {
        RoutingDecision d = TopKRouting.renormalised(2).route(tenths(), 1, 4, PREFILL);

        assertThat(d.probabilities()).containsExactly(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, within(1e-6f));
        assertThat(d.experts()).containsExactly(3, 2);
        // w = p_sel / Σ p_sel = 0.4/0.7, 0.3/0.7  (HF modeling_mixtral: routing_weights /= sum)
        assertThat(d.weights()[0]).isCloseTo(4f / 7, within(1e-6f));
        assertThat(d.weights()[1]).isCloseTo(3f / 7, within(1e-6f));
        assertThat(d.offsets()).containsExactly(0, 2);
        assertThat(d.droppedTokens()).isZero();
    }

    @Test
    void rawProbabilitiesWhenNotRenormalised() {
        RoutingDecision d = TopKRouting.rawProbabilities(2).route(tenths(), 1, 4, PREFILL);

        assertThat(d.experts()).containsExactly(3, 2);
        // norm_topk_prob = false (Qwen-MoE, OLMoE): weights are the full-softmax probabilities, sum 0.7 < 1
        assertThat(d.weights()).containsExactly(new float[] {0.4f, 0.3f}, within(1e-6f));
    }

    @Test
    void tiesGoToTheLowerExpertIndex() {
        float[] logits = {
            1, 2, 2, 0,     // token 0: experts 1 and 2 tie for first
            2, 2, 2, 0,     // token 1: three-way tie, k = 2 keeps the two lowest ids
            0, 0, 0, 0 };   // token 2: all tie
        RoutingDecision d = TopKRouting.renormalised(2).route(logits, 3, 4, PREFILL);

        assertThat(d.experts()).containsExactly(1, 2, 0, 1, 0, 1);
        for (float w : d.weights()) {
            assertThat(w).isCloseTo(0.5f, within(1e-6f)); // equal probabilities renormalise to 1/2 each
        }
    }

    @Test
    void matchesPaperSoftmaxOverTopKLogits() {
        // Mixtral paper/reference: softmax(topk(logits)). Equal to HF's renormalised full softmax (docs/MOE.md#token-choice-top-k).
        float[] logits = {0.3f, -1.2f, 2.5f, 0.9f, -0.4f, 1.7f, 0.0f, -2.0f};
        RoutingDecision d = TopKRouting.renormalised(2).route(logits, 1, 8, PREFILL);

        assertThat(d.experts()).containsExactly(2, 5);
        double e2 = Math.exp(2.5);
        double e5 = Math.exp(1.7);
        assertThat((double) d.weights()[0]).isCloseTo(e2 / (e2 + e5), within(TOL));
        assertThat((double) d.weights()[1]).isCloseTo(e5 / (e2 + e5), within(TOL));
    }

    @Test
    void largeLogitsAreStableBecauseTheMaxIsSubtracted() {
        float[] logits = {1000f, 1001f};
        RoutingDecision d = TopKRouting.rawProbabilities(1).route(logits, 1, 2, PREFILL);

        double e = Math.E;
        assertThat((double) d.probabilities()[0]).isCloseTo(1 / (1 + e), within(TOL));
        assertThat((double) d.probabilities()[1]).isCloseTo(e / (1 + e), within(TOL));
        assertThat(d.experts()).containsExactly(1);
    }

    @Test
    void disabledExpertIsMaskedBeforeTopKAndWeightsRenormaliseOverTheOthers() {
        boolean[] disabled = {false, false, false, true};
        RoutingContext ctx = PREFILL.withDisabled(disabled);

        RoutingDecision d = TopKRouting.renormalised(2).route(tenths(), 1, 4, ctx);
        // expert 3 gets logit -inf: p = (1, 2, 3, 0) / 6
        assertThat(d.probabilities()).containsExactly(new float[] {1f / 6, 2f / 6, 3f / 6, 0f}, within(1e-6f));
        assertThat(d.experts()).containsExactly(2, 1);
        assertThat(d.weights()).containsExactly(new float[] {0.6f, 0.4f}, within(1e-6f));

        RoutingDecision raw = TopKRouting.rawProbabilities(2).route(tenths(), 1, 4, ctx);
        assertThat(raw.weights()).containsExactly(new float[] {0.5f, 2f / 6}, within(1e-6f));
    }

    @Test
    void fewerEnabledExpertsThanKUsesTheEnabledOnes() {
        RoutingContext ctx = PREFILL.withDisabled(new boolean[] {true, false, true, true});

        RoutingDecision d = TopKRouting.renormalised(2).route(tenths(), 1, 4, ctx);

        assertThat(d.experts()).containsExactly(1);
        assertThat(d.weights()).containsExactly(1f);
    }

    @Test
    void allExpertsDisabledIsAClearError() {
        RoutingContext ctx = PREFILL.withDisabled(new boolean[] {true, true, true, true});

        assertThatThrownBy(() -> TopKRouting.renormalised(2).route(tenths(), 1, 4, ctx))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("all 4 experts")
                .hasMessageContaining("disabled");
    }

    @Test
    void selectionBiasChangesSelectionButNotWeights() {
        // DeepSeek-V3 (docs/MOE.md#selection-bias): select by p + b, weight by the unbiased p.
        // p = (0.1, 0.2, 0.3, 0.4), b = (0.5, 0, 0, 0): scores (0.6, 0.2, 0.3, 0.4) -> select 0 then 3.
        RoutingContext ctx = PREFILL.withSelectionBias(new float[] {0.5f, 0f, 0f, 0f});

        RoutingDecision raw = TopKRouting.rawProbabilities(2).route(tenths(), 1, 4, ctx);
        assertThat(raw.experts()).containsExactly(0, 3);
        // Unbiased gather: (0.1, 0.4). The biased-gather bug would give (0.6, 0.4).
        assertThat(raw.weights()).containsExactly(new float[] {0.1f, 0.4f}, within(1e-6f));

        RoutingDecision norm = TopKRouting.renormalised(2).route(tenths(), 1, 4, ctx);
        assertThat(norm.experts()).containsExactly(0, 3);
        // 0.1/0.5, 0.4/0.5. The biased-gather bug would give 0.6/1.0, 0.4/1.0.
        assertThat(norm.weights()).containsExactly(new float[] {0.2f, 0.8f}, within(1e-6f));
        // The bias never leaks into the reported distribution either.
        assertThat(norm.probabilities()).containsExactly(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, within(1e-6f));
    }

    @Test
    void invariantsOnRandomLogits() {
        SplittableRandom random = new SplittableRandom(42);
        int tokens = 200;
        int numExperts = 8;
        float[] logits = new float[tokens * numExperts];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (random.nextGaussian() * 3);
        }
        RoutingDecision d = TopKRouting.renormalised(3).route(logits, tokens, numExperts, PREFILL);

        for (int t = 0; t < tokens; t++) {
            assertThat(d.expertCount(t)).isEqualTo(3);
            double probSum = 0;
            for (int e = 0; e < numExperts; e++) {
                probSum += d.probabilities()[t * numExperts + e];
            }
            assertThat(probSum).isCloseTo(1.0, within(1e-5));
            double weightSum = 0;
            float minSelectedProb = Float.MAX_VALUE;
            for (int i = d.offsets()[t]; i < d.offsets()[t + 1]; i++) {
                weightSum += d.weights()[i];
                minSelectedProb = Math.min(minSelectedProb, d.probabilities()[t * numExperts + d.experts()[i]]);
                for (int j = d.offsets()[t]; j < i; j++) {
                    assertThat(d.experts()[j]).as("top-k indices distinct").isNotEqualTo(d.experts()[i]);
                    assertThat(d.weights()[j]).as("first choice first").isGreaterThanOrEqualTo(d.weights()[i]);
                }
            }
            assertThat(weightSum).as("renormalised weights sum to 1").isCloseTo(1.0, within(1e-6));
            for (int e = 0; e < numExperts; e++) {
                boolean selected = false;
                for (int i = d.offsets()[t]; i < d.offsets()[t + 1]; i++) {
                    selected |= d.experts()[i] == e;
                }
                if (!selected) {
                    assertThat(d.probabilities()[t * numExperts + e]).isLessThanOrEqualTo(minSelectedProb);
                }
            }
        }
    }

    @Test
    void rejectsWrongShapesAndBadInputs() {
        assertThatThrownBy(() -> TopKRouting.renormalised(2).route(new float[5], 1, 4, PREFILL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 5");
        assertThatThrownBy(() -> TopKRouting.renormalised(2).route(tenths(), 1, 4,
                PREFILL.withDisabled(new boolean[3])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("disabled mask has 3");
        assertThatThrownBy(() -> TopKRouting.renormalised(2).route(new float[] {0, Float.NaN}, 1, 2, PREFILL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> new TopKRouting(0, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topK >= 1");
    }
}
