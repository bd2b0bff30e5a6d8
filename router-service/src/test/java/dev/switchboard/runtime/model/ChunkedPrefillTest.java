package dev.switchboard.runtime.model;

import static dev.switchboard.runtime.model.ModelAssertions.argmax;
import static dev.switchboard.runtime.model.ModelAssertions.greedy;
import static dev.switchboard.runtime.model.ModelAssertions.maxAbsDifference;
import static dev.switchboard.runtime.model.ModelAssertions.promptLogits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.fixtures.ReferenceFixture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chunked prefill (the server's {@code prefill-chunk-tokens}): a prompt appended to its cache in several steps, each
 * chunk at the offset where the cache ends and causal over everything before it, must give the logits and the
 * greedy continuation of the whole prompt prefilled in one step. Run on the committed numpy-generated checkpoint.
 */
class ChunkedPrefillTest {

    /**
     * Same float32 maths over other matmul shapes (a chunk's queries against a longer history instead of the whole
     * prompt's): the logits (about ±2 here) differ by rounding only, as in {@link BatchedForwardTest}.
     */
    static final float TOLERANCE = BatchedForwardTest.TOLERANCE;

    /** Crosses several 16-position cache blocks, so chunks start inside and at the edge of a block. */
    static final int PROMPT_LENGTH = 70;

    static final int GENERATED = 8;

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

    @ParameterizedTest(name = "chunks of {0} tokens")
    @ValueSource(ints = {1, 7, 16, 50})
    void aPromptPrefilledInChunksGivesTheLogitsAndTokensOfOneStep(int chunk) {
        int[] prompt = tokens(PROMPT_LENGTH, 3);
        try (SequenceState sequence = model.newSequence()) {
            float[] logits = null;
            for (int from = 0; from < prompt.length; from += chunk) {
                int[] piece = Arrays.copyOfRange(prompt, from, Math.min(prompt.length, from + chunk));
                logits = model.forward(List.of(new StepInput(sequence, piece)), ForwardOptions.DEFAULT).lastLogits(0);
            }
            assertThat(sequence.length()).isEqualTo(PROMPT_LENGTH);
            assertThat(maxAbsDifference(logits, promptLogits(model, prompt))).as("logits after the last chunk")
                    .isLessThan(TOLERANCE);
            int[] continuation = new int[GENERATED];
            for (int i = 0; i < GENERATED; i++) {
                continuation[i] = argmax(logits);
                logits = model.forward(List.of(new StepInput(sequence, new int[] {continuation[i]})), ForwardOptions.DEFAULT)
                        .lastLogits(0);
            }
            assertThat(continuation).as("greedy tokens after the chunked prompt").containsExactly(greedy(model, prompt, GENERATED));
        }
    }

    @Test
    void chunksOfTwoPromptsAtDifferentOffsetsShareSteps() {
        int[] first = tokens(45, 5);
        int[] second = tokens(30, 9);
        int[][] firstCuts = {{0, 10}, {10, 30}, {30, 45}};
        int[][] secondCuts = {{0, 6}, {6, 25}, {25, 30}};
        try (SequenceState a = model.newSequence(); SequenceState b = model.newSequence()) {
            StepResult last = null;
            for (int step = 0; step < firstCuts.length; step++) {
                List<StepInput> inputs = new ArrayList<>();
                inputs.add(new StepInput(a, Arrays.copyOfRange(first, firstCuts[step][0], firstCuts[step][1])));
                inputs.add(new StepInput(b, Arrays.copyOfRange(second, secondCuts[step][0], secondCuts[step][1])));
                last = model.forward(inputs, ForwardOptions.DEFAULT);
            }
            assertThat(maxAbsDifference(last.lastLogits(0), promptLogits(model, first))).isLessThan(TOLERANCE);
            assertThat(maxAbsDifference(last.lastLogits(1), promptLogits(model, second))).isLessThan(TOLERANCE);
        }
    }

    private static int[] tokens(int length, int seed) {
        int[] out = new int[length];
        out[0] = 1;
        for (int i = 1; i < length; i++) {
            out[i] = (i * 37 + seed * 13) % 500 + 3;
        }
        return out;
    }
}
