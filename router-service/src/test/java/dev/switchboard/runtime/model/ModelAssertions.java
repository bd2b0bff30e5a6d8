package dev.switchboard.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Small helpers shared by the model tests. */
public final class ModelAssertions {

    private ModelAssertions() {}

    public static float maxAbsDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Prefill {@code prompt} then {@code count} greedy tokens, one decode step at a time through the KV cache. */
    static int[] greedy(MoeModel model, int[] prompt, int count) {
        try (SequenceState sequence = model.newSequence()) {
            int[] out = new int[count];
            float[] logits = model.forward(List.of(new StepInput(sequence, prompt)), ForwardOptions.DEFAULT).lastLogits(0);
            for (int i = 0; i < count; i++) {
                out[i] = argmax(logits);
                if (i + 1 < count) {
                    logits = model.forward(List.of(new StepInput(sequence, new int[] {out[i]})), ForwardOptions.DEFAULT)
                            .lastLogits(0);
                }
            }
            return out;
        }
    }

    /** The logits after the whole prompt, run alone in a fresh sequence. */
    static float[] promptLogits(MoeModel model, int[] prompt) {
        try (SequenceState sequence = model.newSequence()) {
            return model.forward(List.of(new StepInput(sequence, prompt)), ForwardOptions.DEFAULT).lastLogits(0);
        }
    }
}
