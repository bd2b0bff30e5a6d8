package dev.switchboard.runtime.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Frequency checks draw {@value #DRAWS} tokens and accept |f̂ − p| ≤ 5σ with σ = sqrt(p(1−p)/n)
 * (≤ 0.0177 at n = 20000): a correct sampler fails such a check with probability below 1e-6 per
 * token, and each test uses a fixed seed, so the outcome is reproducible.
 */
class SamplerTest {

    private static final int DRAWS = 20_000;

    /** Logits ln(0.5, 0.3, 0.2): softmax at temperature 1 gives back (0.5, 0.3, 0.2). */
    private static final float[] FIVE_THREE_TWO = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2)};

    private static SamplingParams params(double temperature, int topK, double topP, long seed) {
        return new SamplingParams(temperature, topK, topP, seed, 1, List.of());
    }

    private static double[] frequencies(Sampler sampler, float[] logits) {
        double[] counts = new double[logits.length];
        for (int i = 0; i < DRAWS; i++) {
            counts[sampler.sample(logits)]++;
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] /= DRAWS;
        }
        return counts;
    }

    private static void assertFrequencies(double[] observed, double... expected) {
        for (int i = 0; i < expected.length; i++) {
            double sigma = Math.sqrt(expected[i] * (1 - expected[i]) / DRAWS);
            assertThat(observed[i]).as("frequency of token %d", i).isCloseTo(expected[i], within(5 * sigma + 1e-12));
        }
    }

    @Test
    void greedyTakesTheArgmaxAndTiesGoToTheLowestId() {
        Sampler greedy = new Sampler(SamplingParams.greedy(1));

        assertThat(greedy.sample(new float[] {0.1f, 2f, -3f, 1.9f})).isEqualTo(1);
        assertThat(greedy.sample(new float[] {1f, 5f, 5f, 5f})).isEqualTo(1);
        assertThat(greedy.sample(new float[] {Float.NEGATIVE_INFINITY, -7f})).isEqualTo(1);
    }

    @Test
    void aSubnormalTemperatureIsGreedyNotTokenZero() {
        // 1/1e-320 overflows to infinity; sampled, (max − max)·∞ is NaN and every draw fell through to token 0.
        for (double temperature : new double[] {1e-320, Double.MIN_VALUE, Double.MIN_NORMAL / 4}) {
            Sampler sampler = new Sampler(params(temperature, 0, 1, 7));
            assertThat(new SamplingParams(temperature, 0, 1, 7L, 1, List.of()).isGreedy()).isTrue();
            for (int draw = 0; draw < 20; draw++) {
                assertThat(sampler.sample(new float[] {0.1f, 2f, -3f, 1.9f})).as("T = " + temperature).isEqualTo(1);
            }
        }
        assertThat(params(1e-300, 0, 1, 7).isGreedy()).as("1/T still finite: a (very cold) draw").isFalse();
    }

    @Test
    void sameSeedAndLogitsGiveTheSameTokens() {
        SplittableRandom data = new SplittableRandom(1);
        float[][] steps = new float[50][1000];
        for (float[] step : steps) {
            for (int i = 0; i < step.length; i++) {
                step[i] = (float) data.nextGaussian();
            }
        }
        int[] first = new int[steps.length];
        int[] second = new int[steps.length];
        int[] otherSeed = new int[steps.length];
        Sampler a = new Sampler(params(0.8, 50, 0.9, 1234));
        Sampler b = new Sampler(params(0.8, 50, 0.9, 1234));
        Sampler c = new Sampler(params(0.8, 50, 0.9, 4321));
        for (int s = 0; s < steps.length; s++) {
            first[s] = a.sample(steps[s]);
            second[s] = b.sample(steps[s]);
            otherSeed[s] = c.sample(steps[s]);
        }

        assertThat(second).containsExactly(first);
        assertThat(otherSeed).isNotEqualTo(first);  // 50 draws from ~10+ candidates each: equal by chance is negligible
    }

    @Test
    void temperatureOneSamplesTheSoftmax() {
        assertFrequencies(frequencies(new Sampler(params(1, 0, 1, 11)), FIVE_THREE_TWO), 0.5, 0.3, 0.2);
    }

    @Test
    void temperatureSharpensTheDistribution() {
        // T = 0.5: p ∝ q^(1/T) = (0.25, 0.09, 0.04) / 0.38
        assertFrequencies(frequencies(new Sampler(params(0.5, 0, 1, 12)), FIVE_THREE_TWO),
                0.25 / 0.38, 0.09 / 0.38, 0.04 / 0.38);
    }

    @Test
    void topKRestrictsTheSupportAndRenormalises() {
        // k = 2 keeps tokens 0, 1: (0.5, 0.3) / 0.8 = (0.625, 0.375), token 2 never
        double[] f = frequencies(new Sampler(params(1, 2, 1, 13)), FIVE_THREE_TWO);

        assertThat(f[2]).isZero();
        assertFrequencies(f, 0.625, 0.375);
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // cumulative 0.5, 0.8, 1.0: p = 0.75 needs tokens {0, 1}; renormalised (0.625, 0.375)
        double[] f = frequencies(new Sampler(params(1, 0, 0.75, 14)), FIVE_THREE_TWO);

        assertThat(f[2]).isZero();
        assertFrequencies(f, 0.625, 0.375);
    }

    @Test
    void topPBelowTheLargestProbabilityKeepsOneToken() {
        double[] f = frequencies(new Sampler(params(1, 0, 0.4, 15)), FIVE_THREE_TWO);

        assertThat(f).containsExactly(1.0, 0.0, 0.0);
    }

    @Test
    void topPIsAFractionOfTheWholeVocabularyEvenWhenUnlikelyTokensAreSkipped() {
        // q = (0.45, 0.44, 0.06, 0.05), p = 0.5: cumulative 0.45 < 0.5 <= 0.89, so the nucleus is {0, 1}:
        // (0.45, 0.44) / 0.89. Tokens 2, 3 fall below the pre-sort cut (1 - p)/V = 0.125; measuring p
        // against the survivors' mass 0.89 instead would wrongly keep only token 0.
        float[] logits = {(float) Math.log(0.45), (float) Math.log(0.44), (float) Math.log(0.06), (float) Math.log(0.05)};
        double[] f = frequencies(new Sampler(params(1, 0, 0.5, 20)), logits);

        assertFrequencies(f, 0.45 / 0.89, 0.44 / 0.89, 0, 0);
    }

    @Test
    void topKThenTopPCompose() {
        // logits ln(0.4, 0.1, 0.3, 0.2): top-3 = {0, 2, 3} renormalised (0.4, 0.3, 0.2)/0.9;
        // cumulative 0.444, 0.778, 1: top-p 0.7 keeps {0, 2}: (4/7, 3/7)
        float[] logits = {(float) Math.log(0.4), (float) Math.log(0.1), (float) Math.log(0.3), (float) Math.log(0.2)};
        double[] f = frequencies(new Sampler(params(1, 3, 0.7, 16)), logits);

        assertThat(f[1]).isZero();
        assertThat(f[3]).isZero();
        assertFrequencies(f, 4.0 / 7, 0, 3.0 / 7, 0);
    }

    @Test
    void topKOnAFullVocabularyOnlyDrawsFromTheTrueTopK() {
        SplittableRandom data = new SplittableRandom(2);
        float[] logits = new float[32_000];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (data.nextGaussian() * 2);
        }
        float[] sorted = logits.clone();
        Arrays.sort(sorted);
        float kthLargest = sorted[sorted.length - 40];
        Sampler sampler = new Sampler(params(1.5, 40, 1, 17));

        for (int i = 0; i < 2000; i++) {
            assertThat(logits[sampler.sample(logits)]).isGreaterThanOrEqualTo(kthLargest);
        }
    }

    @Test
    void negativeLogitsOrderCorrectlyInTopK() {
        // All negative: the sort key must keep -1 above -2 above -3.
        double[] f = frequencies(new Sampler(params(1, 1, 1, 18)), new float[] {-3f, -1f, -2f});

        assertThat(f).containsExactly(0.0, 1.0, 0.0);
    }

    @Test
    void rejectsNaNAndAllMinusInfinity() {
        Sampler sampler = new Sampler(params(1, 0, 0.9, 19));

        assertThatThrownBy(() -> sampler.sample(new float[] {0f, Float.NaN}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token 1 is NaN");
        assertThatThrownBy(() -> sampler.sample(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one finite logit");
    }
}
