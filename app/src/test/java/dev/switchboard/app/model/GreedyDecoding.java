package dev.switchboard.app.model;

import dev.switchboard.runtime.model.ForwardOptions;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.model.SequenceState;
import dev.switchboard.runtime.model.StepInput;
import java.util.ArrayList;
import java.util.List;

/** Greedy decoding straight on the runtime, for tests that check a model's own choices. */
public final class GreedyDecoding {

    private GreedyDecoding() {}

    /** Up to {@code maxTokens} argmax tokens after {@code prompt}, stopping before {@code eos} (-1: never). */
    public static int[] decode(MoeModel model, int[] prompt, int maxTokens, int eos) {
        List<Integer> generated = new ArrayList<>();
        try (SequenceState sequence = model.newSequence()) {
            float[] logits = model.forward(List.of(new StepInput(sequence, prompt)), ForwardOptions.DEFAULT).lastLogits(0);
            while (generated.size() < maxTokens) {
                int next = argmax(logits);
                if (next == eos) {
                    break;
                }
                generated.add(next);
                logits = model.forward(List.of(new StepInput(sequence, new int[] {next})), ForwardOptions.DEFAULT)
                        .lastLogits(0);
            }
        }
        return generated.stream().mapToInt(Integer::intValue).toArray();
    }

    public static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
