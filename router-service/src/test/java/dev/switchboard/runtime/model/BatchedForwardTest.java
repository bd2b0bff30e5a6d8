package dev.switchboard.runtime.model;

import dev.switchboard.runtime.fixtures.ReferenceFixture;

import static dev.switchboard.runtime.model.ModelAssertions.maxAbsDifference;
import static dev.switchboard.runtime.model.ModelAssertions.promptLogits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.checkpoint.Checkpoint;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Batching and caching must not change the maths: a prompt run at once equals the same tokens fed one
 * by one through the KV cache, and sequences of different lengths at different positions sharing one
 * step give each the logits it gets alone.
 */
class BatchedForwardTest {

    /** Same float32 operations over differently shaped batches: differences are rounding only. */
    static final float TOLERANCE = 1e-4f;

    static final int[] SHORT = {1, 17};
    static final int[] MEDIUM = {1, 5, 9, 300, 42, 7};
    static final int[] LONG = {1, 200, 3, 4, 5, 6, 7, 8, 9, 10, 11};

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

    @Test
    void prefillAtOnceEqualsTokenByTokenDecode() {
        float[][] atOnce;
        try (SequenceState sequence = model.newSequence()) {
            atOnce = model.forward(List.of(new StepInput(sequence, LONG)), new ForwardOptions(false, false, true)).logits()[0];
            assertThat(sequence.length()).isEqualTo(LONG.length);
        }
        assertThat(atOnce).hasNumberOfRows(LONG.length);
        try (SequenceState sequence = model.newSequence()) {
            for (int i = 0; i < LONG.length; i++) {
                float[] step = model.forward(List.of(new StepInput(sequence, new int[] {LONG[i]})), ForwardOptions.DEFAULT)
                        .lastLogits(0);
                assertThat(maxAbsDifference(step, atOnce[i])).as("position %d", i).isLessThan(TOLERANCE);
            }
        }
    }

    @Test
    void raggedPrefillBatchGivesEachPromptItsOwnLogits() {
        try (SequenceState a = model.newSequence(); SequenceState b = model.newSequence(); SequenceState c = model.newSequence()) {
            StepResult result = model.forward(
                    List.of(new StepInput(a, MEDIUM), new StepInput(b, SHORT), new StepInput(c, LONG)), ForwardOptions.DEFAULT);
            assertThat(result.logits().length).isEqualTo(3);
            assertThat(maxAbsDifference(result.lastLogits(0), promptLogits(model, MEDIUM))).isLessThan(TOLERANCE);
            assertThat(maxAbsDifference(result.lastLogits(1), promptLogits(model, SHORT))).isLessThan(TOLERANCE);
            assertThat(maxAbsDifference(result.lastLogits(2), promptLogits(model, LONG))).isLessThan(TOLERANCE);
            assertThat(List.of(a.length(), b.length(), c.length())).containsExactly(MEDIUM.length, SHORT.length, LONG.length);
        }
    }

    @Test
    void decodeStepAcrossSequencesAtDifferentPositionsMatchesRunningEachAlone() {
        int[][] prompts = {MEDIUM, SHORT, LONG};
        int[] next = {33, 44, 55};
        try (SequenceState a = model.newSequence(); SequenceState b = model.newSequence(); SequenceState c = model.newSequence()) {
            model.forward(List.of(new StepInput(a, MEDIUM), new StepInput(b, SHORT), new StepInput(c, LONG)), ForwardOptions.DEFAULT);
            StepResult decode = model.forward(List.of(new StepInput(a, new int[] {next[0]}),
                    new StepInput(b, new int[] {next[1]}), new StepInput(c, new int[] {next[2]})), ForwardOptions.DEFAULT);
            for (int i = 0; i < 3; i++) {
                assertThat(maxAbsDifference(decode.lastLogits(i), promptLogits(model, append(prompts[i], next[i]))))
                        .as("sequence %d", i).isLessThan(TOLERANCE);
            }
        }
    }

    @Test
    void mixedStepOfPrefillAndDecodeMatchesRunningEachAlone() {
        try (SequenceState decoding = model.newSequence(); SequenceState fresh = model.newSequence();
                SequenceState continuing = model.newSequence()) {
            model.forward(List.of(new StepInput(decoding, LONG), new StepInput(continuing, SHORT)), ForwardOptions.DEFAULT);
            int[] moreTokens = {8, 9, 10};
            StepResult mixed = model.forward(List.of(new StepInput(decoding, new int[] {77}), new StepInput(fresh, MEDIUM),
                    new StepInput(continuing, moreTokens)), ForwardOptions.DEFAULT);
            assertThat(maxAbsDifference(mixed.lastLogits(0), promptLogits(model, append(LONG, 77)))).isLessThan(TOLERANCE);
            assertThat(maxAbsDifference(mixed.lastLogits(1), promptLogits(model, MEDIUM))).isLessThan(TOLERANCE);
            int[] continued = Arrays.copyOf(SHORT, SHORT.length + moreTokens.length);
            System.arraycopy(moreTokens, 0, continued, SHORT.length, moreTokens.length);
            assertThat(maxAbsDifference(mixed.lastLogits(2), promptLogits(model, continued))).isLessThan(TOLERANCE);
        }
    }

    @Test
    void cachePoolGrowsMidSequenceWithoutChangingResults() {
        int initial = (KvBlockPool.INITIAL_BLOCKS - 1) * KvBlockPool.BLOCK; // positions before the pool first grows
        int length = initial + 10;
        int[] tokens = new int[length];
        for (int i = 0; i < length; i++) {
            tokens[i] = (i * 37 + 11) % 512;
        }
        float[][] atOnce;
        try (SequenceState sequence = model.newSequence()) {
            atOnce = model.forward(List.of(new StepInput(sequence, tokens)), new ForwardOptions(false, false, true)).logits()[0];
        }
        try (SequenceState sequence = model.newSequence()) {
            model.forward(List.of(new StepInput(sequence, Arrays.copyOf(tokens, initial - 2))), ForwardOptions.DEFAULT);
            float[] last = null;
            for (int i = initial - 2; i < length; i++) {
                last = model.forward(List.of(new StepInput(sequence, new int[] {tokens[i]})), ForwardOptions.DEFAULT).lastLogits(0);
            }
            assertThat(sequence.cacheBytes()).isGreaterThan(0);
            assertThat(maxAbsDifference(last, atOnce[length - 1])).isLessThan(TOLERANCE);
        }
    }

    private static int[] append(int[] prompt, int token) {
        int[] out = Arrays.copyOf(prompt, prompt.length + 1);
        out[prompt.length] = token;
        return out;
    }
}
