package dev.switchboard.tools.bench;

import dev.switchboard.runtime.generation.Sampler;
import dev.switchboard.runtime.generation.SamplingParams;
import dev.switchboard.runtime.model.ForwardOptions;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.model.SequenceState;
import dev.switchboard.runtime.model.StepInput;
import dev.switchboard.runtime.model.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Prefill of B prompts in one forward, then greedy decode of all B in one forward per step. */
final class DecodeBench {

    record Result(int batch, int promptTokens, double prefillNanos, double medianStepNanos) {
        double prefillTokensPerSecond() {
            return batch * (double) promptTokens / (prefillNanos / 1e9);
        }

        double decodeTokensPerSecond() {
            return batch / (medianStepNanos / 1e9);
        }
    }

    private DecodeBench() {}

    static Result run(MoeModel model, int batch, int promptTokens, int steps, SplittableRandom random) {
        int vocab = model.config().vocabSize();
        List<SequenceState> sequences = new ArrayList<>();
        try {
            List<StepInput> prefill = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                SequenceState sequence = model.newSequence();
                sequences.add(sequence);
                int[] prompt = random.ints(promptTokens, 3, vocab).toArray();
                prompt[0] = model.config().bosTokenId();
                prefill.add(new StepInput(sequence, prompt));
            }
            long start = System.nanoTime();
            StepResult result = model.forward(prefill, ForwardOptions.DEFAULT);
            long prefillNanos = System.nanoTime() - start;
            long[] stepNanos = new long[steps];
            Sampler greedy = new Sampler(SamplingParams.greedy(steps)); // the decode loop's own token choice; no text, no stop
            for (int s = 0; s < steps; s++) {
                List<StepInput> decode = new ArrayList<>(batch);
                for (int b = 0; b < batch; b++) {
                    decode.add(new StepInput(sequences.get(b), new int[] {greedy.sample(result.lastLogits(b))}));
                }
                long stepStart = System.nanoTime();
                result = model.forward(decode, ForwardOptions.DEFAULT);
                stepNanos[s] = System.nanoTime() - stepStart;
            }
            return new Result(batch, promptTokens, prefillNanos, Timing.median(stepNanos));
        } finally {
            sequences.forEach(SequenceState::close);
        }
    }
}
