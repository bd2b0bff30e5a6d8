package dev.switchboard.runtime.model;

import dev.switchboard.runtime.routing.LayerChoice;
import dev.switchboard.runtime.routing.TokenTrace;
import static dev.switchboard.runtime.model.ModelAssertions.argmax;
import static dev.switchboard.runtime.model.ModelAssertions.maxAbsDifference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.fixtures.ReferenceFixture;
import dev.switchboard.runtime.routing.RoutingOverride;
import dev.switchboard.runtime.routing.SwitchRouting;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A per-sequence routing override ("what if") on the committed top-2 fixture (2 layers, 4 experts): it changes
 * the routing of its own sequence as asked (masked experts get no token, k experts per token, the logit bias
 * moves the softmax by {@code exp(bias)}), and a sequence batched beside it generates the same tokens with
 * the same routing as when it runs alone.
 */
class RoutingOverrideTest {

    static final int LAYERS = 2;
    static final int EXPERTS = 4;
    static final int[] PROMPT = {1, 5, 9, 300, 42, 7, 11, 200};
    static final int[] OTHER_PROMPT = {1, 17, 33, 401, 8};
    static final int STEPS = 6;
    static final ForwardOptions FULL_TRACE = new ForwardOptions(true, true, false);

    static Checkpoint checkpoint;
    static MoeModel model;

    @BeforeAll
    static void load() {
        checkpoint = ReferenceFixture.named(ReferenceFixture.TINY_F32).open();
        model = MoeModel.load(checkpoint, ModelOptions.defaults());
    }

    @AfterAll
    static void close() {
        model.close();
        checkpoint.close();
    }

    /** Greedy tokens and the trace of every fed token, of sequences decoded together step by step. */
    record Run(int[][] tokens, List<List<TokenTrace>> traces) {}

    static Run greedyTogether(List<SequenceState> sequences, int[][] prompts) {
        int n = sequences.size();
        int[][] tokens = new int[n][STEPS];
        List<List<TokenTrace>> traces = new ArrayList<>();
        List<StepInput> inputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            traces.add(new ArrayList<>());
            inputs.add(new StepInput(sequences.get(i), prompts[i]));
        }
        for (int step = 0; step < STEPS; step++) {
            StepResult result = model.forward(inputs, FULL_TRACE);
            inputs.clear();
            for (int i = 0; i < n; i++) {
                traces.get(i).addAll(result.trace().get(i));
                tokens[i][step] = argmax(result.lastLogits(i));
                inputs.add(new StepInput(sequences.get(i), new int[] {tokens[i][step]}));
            }
        }
        return new Run(tokens, traces);
    }

    static Run alone(int[] prompt) {
        try (SequenceState sequence = model.newSequence()) {
            return greedyTogether(List.of(sequence), new int[][] {prompt});
        }
    }

    static RoutingOverride override(int k, int[] maskedEverywhere, float[] biasEverywhere) {
        boolean[][] masked = new boolean[LAYERS][EXPERTS];
        float[][] bias = new float[LAYERS][];
        for (int l = 0; l < LAYERS; l++) {
            for (int e : maskedEverywhere) {
                masked[l][e] = true;
            }
            bias[l] = biasEverywhere.clone();
        }
        return new RoutingOverride(k, masked, bias);
    }

    @Test
    void aPlainSequenceBatchedBesideAnOverriddenOneGetsTheTokensAndRoutingItGetsAlone() {
        Run plainAlone = alone(OTHER_PROMPT);
        Run overriddenAlone;
        Run together;
        RoutingOverride whatIf = override(1, new int[] {0}, new float[] {0, 0, 0, 3f});
        try (SequenceState overridden = model.newSequence(whatIf)) {
            overriddenAlone = greedyTogether(List.of(overridden), new int[][] {PROMPT});
        }
        try (SequenceState overridden = model.newSequence(whatIf); SequenceState plain = model.newSequence()) {
            together = greedyTogether(List.of(overridden, plain), new int[][] {PROMPT, OTHER_PROMPT});
        }
        assertThat(together.tokens()[1]).as("the plain sequence's tokens").containsExactly(plainAlone.tokens()[0]);
        assertSameRouting(together.traces().get(1), plainAlone.traces().get(0));
        assertThat(together.tokens()[0]).as("the overridden sequence's tokens, batched or alone")
                .containsExactly(overriddenAlone.tokens()[0]);
        assertSameRouting(together.traces().get(0), overriddenAlone.traces().get(0));
        assertThat(together.traces().get(0)).as("the override took effect: one expert per token, never expert 0")
                .allSatisfy(token -> assertThat(token.layers()).allSatisfy(layer -> {
                    assertThat(layer.experts()).hasSize(1).doesNotContain(0);
                }));
        assertThat(together.traces().get(1)).as("the plain sequence keeps k = 2")
                .allSatisfy(token -> assertThat(token.layers()).allSatisfy(layer -> assertThat(layer.experts()).hasSize(2)));
    }

    @Test
    void maskedExpertsReceiveNoTokenOfTheSequence() {
        Run plain = alone(PROMPT);
        assertThat(plain.traces().get(0).stream().flatMap(token -> token.layers().stream()))
                .as("unmasked, experts 1 and 2 are chosen somewhere (else the test proves nothing)")
                .anySatisfy(layer -> assertThat(layer.experts()).contains(1))
                .anySatisfy(layer -> assertThat(layer.experts()).contains(2));
        Run masked;
        try (SequenceState sequence = model.newSequence(override(0, new int[] {1, 2}, new float[0]))) {
            masked = greedyTogether(List.of(sequence), new int[][] {PROMPT});
        }
        assertThat(masked.traces().get(0)).isNotEmpty().allSatisfy(token -> assertThat(token.layers()).allSatisfy(layer -> {
            assertThat(layer.experts()).containsExactlyInAnyOrder(0, 3); // k = 2 of the 2 experts left
            assertThat(layer.probabilities()[1]).isZero();
            assertThat(layer.probabilities()[2]).isZero();
        }));
    }

    @Test
    void kSetsTheNumberOfRoutedExpertsPerTokenInEveryLayer() {
        for (int k : new int[] {1, 3, 4}) {
            Run run;
            try (SequenceState sequence = model.newSequence(override(k, new int[0], new float[0]))) {
                run = greedyTogether(List.of(sequence), new int[][] {PROMPT});
            }
            assertThat(run.traces().get(0)).as("k = %d", k).allSatisfy(token -> assertThat(token.layers()).allSatisfy(layer -> {
                assertThat(layer.experts()).hasSize(k).doesNotHaveDuplicates();
                double sum = 0;
                for (float w : layer.weights()) {
                    sum += w;
                }
                assertThat(sum).as("Mixtral renormalises the k weights").isCloseTo(1.0, within(1e-5));
            }));
        }
    }

    /**
     * Layer 0's router input does not depend on any routing, so the override's softmax there is the plain one
     * tilted by the bias (docs/MOE.md#routing-override): {@code p'_e = p_e·e^{b_e} / Σ_f p_f·e^{b_f}}.
     */
    @Test
    void theLogitBiasTiltsTheRouterSoftmaxByExpOfTheBias() {
        float[] bias = {0.5f, -1f, 0f, 2f};
        List<TokenTrace> plain;
        List<TokenTrace> biased;
        try (SequenceState sequence = model.newSequence()) {
            plain = model.forward(List.of(new StepInput(sequence, PROMPT)), FULL_TRACE).trace().get(0);
        }
        try (SequenceState sequence = model.newSequence(override(0, new int[0], bias))) {
            biased = model.forward(List.of(new StepInput(sequence, PROMPT)), FULL_TRACE).trace().get(0);
        }
        for (int t = 0; t < PROMPT.length; t++) {
            float[] p = plain.get(t).layers().get(0).probabilities();
            double norm = 0;
            for (int e = 0; e < EXPERTS; e++) {
                norm += p[e] * Math.exp(bias[e]);
            }
            float[] expected = new float[EXPERTS];
            for (int e = 0; e < EXPERTS; e++) {
                expected[e] = (float) (p[e] * Math.exp(bias[e]) / norm);
            }
            assertThat(maxAbsDifference(biased.get(t).layers().get(0).probabilities(), expected)).as("token %d", t)
                    .isLessThan(1e-5f);
        }
    }

    @Test
    void anOverrideThatWouldLeaveNoExpertKeepsTheLayersOwnMaskInstead() {
        Run plain = alone(PROMPT);
        Run everythingMasked;
        try (SequenceState sequence = model.newSequence(override(0, new int[] {0, 1, 2, 3}, new float[0]))) {
            everythingMasked = greedyTogether(List.of(sequence), new int[][] {PROMPT});
        }
        assertThat(everythingMasked.tokens()[0]).containsExactly(plain.tokens()[0]);
        assertSameRouting(everythingMasked.traces().get(0), plain.traces().get(0));
    }

    @Test
    void modelsWhoseRoutingIsNotTopKRefuseOverridesWhenTheSequenceIsCreated() {
        try (MoeModel switchModel = MoeModel.load(checkpoint, ModelOptions.defaults().withRouting(new SwitchRouting(1.0)))) {
            assertThatThrownBy(() -> switchModel.newSequence(override(1, new int[0], new float[0])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("top-k");
        }
        assertThatThrownBy(() -> model.newSequence(new RoutingOverride(1, new boolean[1][0], new float[1][0])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one entry per layer (2)");
    }

    /** Same experts in the same order; weights and probabilities equal up to float32 rounding of other batch shapes. */
    static void assertSameRouting(List<TokenTrace> actual, List<TokenTrace> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int t = 0; t < actual.size(); t++) {
            for (int l = 0; l < LAYERS; l++) {
                LayerChoice a = actual.get(t).layers().get(l);
                LayerChoice b = expected.get(t).layers().get(l);
                assertThat(a.experts()).as("token %d layer %d", t, l).containsExactly(b.experts());
                assertThat(maxAbsDifference(a.weights(), b.weights())).isLessThan(BatchedForwardTest.TOLERANCE);
                assertThat(maxAbsDifference(a.probabilities(), b.probabilities())).isLessThan(BatchedForwardTest.TOLERANCE);
            }
        }
    }
}
