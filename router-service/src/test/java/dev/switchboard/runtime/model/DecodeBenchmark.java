package dev.switchboard.runtime.model;

import ai.djl.ndarray.types.DataType;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batch-1 (and batch-B) greedy decode speed on a checkpoint directory; a command-line tool, not a test:
 * {@code java -cp <test classpath> dev.switchboard.runtime.model.DecodeBenchmark DIR [steps] [batch] [f16]}.
 */
public final class DecodeBenchmark {

    private DecodeBenchmark() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        DataType type = args.length > 3 && args[3].equals("f16") ? DataType.FLOAT16 : DataType.FLOAT32;
        try (Checkpoint checkpoint = Checkpoint.open(dir);
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults().withWorkingType(type))) {
            for (int round = 0; round < 3; round++) {
                List<SequenceState> sequences = new ArrayList<>();
                List<StepInput> prefill = new ArrayList<>();
                for (int b = 0; b < batch; b++) {
                    SequenceState s = model.newSequence();
                    sequences.add(s);
                    prefill.add(new StepInput(s, new int[] {1, 5 + b, 9, 300, 42, 7}));
                }
                long t0 = System.nanoTime();
                StepResult result = model.forward(prefill, ForwardOptions.DEFAULT);
                long t1 = System.nanoTime();
                long[] stepNanos = new long[steps];
                for (int i = 0; i < steps; i++) {
                    List<StepInput> decode = new ArrayList<>();
                    for (int b = 0; b < batch; b++) {
                        decode.add(new StepInput(sequences.get(b), new int[] {ModelAssertions.argmax(result.lastLogits(b))}));
                    }
                    long s0 = System.nanoTime();
                    result = model.forward(decode, ForwardOptions.DEFAULT);
                    stepNanos[i] = System.nanoTime() - s0;
                }
                long total = Arrays.stream(stepNanos).sum();
                long[] sorted = stepNanos.clone();
                Arrays.sort(sorted);
                System.out.printf("round %d: prefill %.1f ms; decode %d steps x batch %d: %.1f tokens/s (median step %.2f ms)%n",
                        round, (t1 - t0) / 1e6, steps, batch, steps * batch / (total / 1e9), sorted[steps / 2] / 1e6);
                sequences.forEach(SequenceState::close);
            }
        }
    }
}
