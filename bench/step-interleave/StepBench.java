import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.model.*;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One build's side of {@code run.sh}: the loop of the bench tool's DecodeBench (B random prompts prefilled in one
 * forward, then greedy decode steps of all B in one forward each), compiled against that build's runtime and loaded by
 * {@link Interleave} in that build's own class loader. Uses only the runtime API every measured build has.
 */
public class StepBench {
    /** For Interleave: opens a model (checkpoint and model, to close in reverse order). */
    public static AutoCloseable[] open(String dir) {
        Checkpoint c = Checkpoint.open(Path.of(dir));
        return new AutoCloseable[] {c, MoeModel.load(c, ModelOptions.defaults())};
    }
    /** For Interleave: the median decode step (ns) at one batch size. */
    public static double median(Object model, int batch, int prompt, int steps, long seed) {
        return run((MoeModel) model, batch, prompt, steps, new SplittableRandom(seed));
    }
    static double run(MoeModel model, int batch, int promptTokens, int steps, SplittableRandom random) {
        int vocab = model.config().vocabSize();
        List<SequenceState> seqs = new ArrayList<>();
        try {
            List<StepInput> prefill = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                SequenceState s = model.newSequence(); seqs.add(s);
                int[] p = random.ints(promptTokens, 3, vocab).toArray(); p[0] = model.config().bosTokenId();
                prefill.add(new StepInput(s, p));
            }
            StepResult result = model.forward(prefill, ForwardOptions.DEFAULT);
            long[] t = new long[steps];
            for (int s = 0; s < steps; s++) {
                List<StepInput> d = new ArrayList<>();
                for (int b = 0; b < batch; b++) d.add(new StepInput(seqs.get(b), new int[] {argmax(result.lastLogits(b))}));
                long t0 = System.nanoTime();
                result = model.forward(d, ForwardOptions.DEFAULT);
                t[s] = System.nanoTime() - t0;
            }
            Arrays.sort(t);
            return t[steps / 2];
        } finally { seqs.forEach(SequenceState::close); }
    }
    static int argmax(float[] x) { int b = 0; for (int i = 1; i < x.length; i++) if (x[i] > x[b]) b = i; return b; }
}
