package dev.switchboard.runtime.model;

import dev.switchboard.runtime.routing.LayerChoice;
import dev.switchboard.runtime.routing.TokenTrace;
import dev.switchboard.runtime.fixtures.ReferenceFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.routing.LayerRoutingStats;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each expert runs once per layer and step, on exactly the tokens the router sent it. */
class SparseDispatchTest {

    static final int[][] PROMPTS = {{1, 5, 9, 300, 42, 7}, {1, 17}, {1, 200, 3, 4, 5, 6, 7, 8, 9, 10, 11}};

    @Test
    void expertsSeeOnlyTheTokensRoutedToThem() {
        WrappingKinds.Recording kind = new WrappingKinds.Recording(4);
        try (Checkpoint checkpoint = ReferenceFixture.named(ReferenceFixture.TINY_F32).open();
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults().withExpertKinds(WrappingKinds.resolver(kind)));
                SequenceState a = model.newSequence(); SequenceState b = model.newSequence();
                SequenceState c = model.newSequence()) {
            List<StepInput> prefill = List.of(new StepInput(a, PROMPTS[0]), new StepInput(b, PROMPTS[1]),
                    new StepInput(c, PROMPTS[2]));
            checkStep(model, kind, prefill, 19);
            List<StepInput> decode = List.of(new StepInput(a, new int[] {3}), new StepInput(b, new int[] {4}),
                    new StepInput(c, new int[] {5}));
            checkStep(model, kind, decode, 3);
            checkStep(model, kind, List.of(new StepInput(a, new int[] {6})), 1);
        }
    }

    private static void checkStep(MoeModel model, WrappingKinds.Recording kind, List<StepInput> inputs, int tokens) {
        kind.calls.clear();
        StepResult result = model.forward(inputs, ForwardOptions.TRACE);
        Map<List<Integer>, Long> routed = new HashMap<>();
        for (List<TokenTrace> perInput : result.trace()) {
            for (TokenTrace token : perInput) {
                for (LayerChoice choice : token.layers()) {
                    for (int expert : choice.experts()) {
                        routed.merge(List.of(choice.layer(), expert), 1L, Long::sum);
                    }
                }
            }
        }
        Map<List<Integer>, Long> seen = new HashMap<>();
        Set<List<Integer>> called = new HashSet<>();
        for (WrappingKinds.Call call : kind.calls) {
            assertThat(called.add(List.of(call.layer(), call.expert())))
                    .as("expert %d of layer %d runs once per step", call.expert(), call.layer()).isTrue();
            seen.put(List.of(call.layer(), call.expert()), call.rows());
        }
        assertThat(seen).as("rows each expert saw = tokens routed to it").isEqualTo(routed);
        assertThat(routed.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2L * 2 * tokens); // top-2, 2 layers
        for (int layer = 0; layer < 2; layer++) { // each input's statistics, summed over the step's inputs
            int statTokens = 0;
            long[] anyChoice = new long[4];
            for (List<LayerRoutingStats> perInput : result.inputStats()) {
                LayerRoutingStats stats = perInput.get(layer);
                assertThat(stats.layer()).isEqualTo(layer);
                statTokens += stats.tokens();
                for (int e = 0; e < 4; e++) {
                    anyChoice[e] += stats.anyChoice()[e];
                }
            }
            assertThat(statTokens).isEqualTo(tokens);
            for (int e = 0; e < 4; e++) {
                assertThat(anyChoice[e]).isEqualTo(routed.getOrDefault(List.of(layer, e), 0L));
            }
        }
    }

    @Test
    void traceHasDistinctTopKExpertsWhoseWeightsSumToOne() {
        try (Checkpoint checkpoint = ReferenceFixture.named(ReferenceFixture.GQA6_TOP2).open();
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults());
                SequenceState sequence = model.newSequence()) {
            StepResult result = model.forward(List.of(new StepInput(sequence, new int[] {1, 33, 77, 120, 250})),
                    new ForwardOptions(true, true, false));
            assertThat(result.trace().get(0)).hasSize(5);
            for (TokenTrace token : result.trace().get(0)) {
                assertThat(token.layers()).hasSize(2);
                for (LayerChoice choice : token.layers()) {
                    assertThat(choice.experts()).hasSize(2).doesNotHaveDuplicates();
                    assertThat(choice.weights()[0] + choice.weights()[1]).isCloseTo(1f, within(1e-6f));
                    assertThat(choice.weights()[0]).isGreaterThanOrEqualTo(choice.weights()[1]);
                    float total = 0;
                    for (float p : choice.probabilities()) {
                        total += p;
                    }
                    assertThat(total).isCloseTo(1f, within(1e-5f));
                    // renormalised top-2: w_i = p_i / (p_a + p_b)
                    float pa = choice.probabilities()[choice.experts()[0]];
                    float pb = choice.probabilities()[choice.experts()[1]];
                    assertThat(choice.weights()[0]).isCloseTo(pa / (pa + pb), within(1e-6f));
                }
            }
            assertThat(result.trace().get(0).get(4).position()).isEqualTo(4);
        }
    }
}
