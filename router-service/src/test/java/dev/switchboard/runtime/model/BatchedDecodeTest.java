package dev.switchboard.runtime.model;

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

/**
 * The decode inputs of a step attend together (caches gathered from the block pool, padded to the
 * longest and masked): each sequence must get the logits it gets when decoded alone, whatever the
 * other sequences' lengths, block boundaries and the prefill inputs sharing the step.
 */
class BatchedDecodeTest {

    /**
     * Same float32 maths; only the padded softmax and matmul may sum in another order, so the logits
     * (about ±2 here) differ by rounding only.
     */
    static final float TOLERANCE = 1e-5f;

    /** Against a whole-prompt prefill (other matmul shapes), as in {@link BatchedForwardTest}. */
    static final float PREFILL_TOLERANCE = BatchedForwardTest.TOLERANCE;

    /** Prompt lengths around the 16-position block boundary, so the padding spans partial and whole blocks. */
    static final int[] LENGTHS = {1, 3, 15, 16, 17, 40};

    static final int STEPS = 5;

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
    void decodeStepsOverSequencesOfDifferentLengthsMatchEachDecodedAlone() {
        int[][] prompts = new int[LENGTHS.length][];
        for (int s = 0; s < LENGTHS.length; s++) {
            prompts[s] = tokens(LENGTHS[s], 7 * s + 1);
        }
        float[][][] alone = new float[LENGTHS.length][][];
        for (int s = 0; s < LENGTHS.length; s++) {
            try (SequenceState sequence = model.newSequence()) {
                model.forward(List.of(new StepInput(sequence, prompts[s])), ForwardOptions.DEFAULT);
                alone[s] = new float[STEPS][];
                for (int t = 0; t < STEPS; t++) {
                    alone[s][t] = model.forward(List.of(new StepInput(sequence, new int[] {next(s, t)})),
                            ForwardOptions.DEFAULT).lastLogits(0);
                }
            }
        }
        List<SequenceState> sequences = new ArrayList<>();
        try {
            for (int s = 0; s < LENGTHS.length; s++) {
                SequenceState sequence = model.newSequence();
                sequences.add(sequence);
                model.forward(List.of(new StepInput(sequence, prompts[s])), ForwardOptions.DEFAULT);
            }
            for (int t = 0; t < STEPS; t++) {
                List<StepInput> step = new ArrayList<>();
                for (int s = 0; s < LENGTHS.length; s++) {
                    step.add(new StepInput(sequences.get(s), new int[] {next(s, t)}));
                }
                StepResult together = model.forward(step, ForwardOptions.DEFAULT);
                for (int s = 0; s < LENGTHS.length; s++) {
                    assertThat(maxAbsDifference(together.lastLogits(s), alone[s][t]))
                            .as("sequence of prompt length %d, decode step %d", LENGTHS[s], t).isLessThan(TOLERANCE);
                }
            }
        } finally {
            sequences.forEach(SequenceState::close);
        }
    }

    @Test
    void decodeInputsAroundAPrefillInputKeepTheirOrder() {
        int[] first = tokens(20, 3);
        int[] prefill = tokens(9, 5);
        int[] last = tokens(4, 11);
        try (SequenceState a = model.newSequence(); SequenceState b = model.newSequence();
                SequenceState c = model.newSequence()) {
            model.forward(List.of(new StepInput(a, first), new StepInput(c, last)), ForwardOptions.DEFAULT);
            StepResult mixed = model.forward(List.of(new StepInput(a, new int[] {42}), new StepInput(b, prefill),
                    new StepInput(c, new int[] {43})), ForwardOptions.DEFAULT);
            assertThat(maxAbsDifference(mixed.lastLogits(0), promptLogits(model, append(first, 42)))).isLessThan(PREFILL_TOLERANCE);
            assertThat(maxAbsDifference(mixed.lastLogits(1), promptLogits(model, prefill))).isLessThan(PREFILL_TOLERANCE);
            assertThat(maxAbsDifference(mixed.lastLogits(2), promptLogits(model, append(last, 43)))).isLessThan(PREFILL_TOLERANCE);
        }
    }

    private static int next(int sequence, int step) {
        return (sequence * 31 + step * 17 + 5) % 500;
    }

    private static int[] tokens(int length, int seed) {
        int[] out = new int[length];
        out[0] = 1;
        for (int i = 1; i < length; i++) {
            out[i] = (i * 37 + seed * 13) % 500 + 3;
        }
        return out;
    }

    private static int[] append(int[] prompt, int token) {
        int[] out = Arrays.copyOf(prompt, prompt.length + 1);
        out[prompt.length] = token;
        return out;
    }
}
