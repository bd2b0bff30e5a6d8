package dev.switchboard.runtime.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming is exact: 5 steps, saved and resumed in a fresh model for 7 more, leave the same weights, AdamW moments
 * and state, byte for byte, as 12 steps in one go. The saved float32 files are compared, so any difference in the
 * weights, the moments, the update count or the windows drawn after the resume shows.
 *
 * <p>Bit for bit is promised on one PyTorch thread: with several, a CPU kernel may split a sum across threads
 * (or add with atomics, as the backward of an index does) in an order that changes between runs. The test sets
 * one intra-op thread itself, so it holds however it is run (one fork for the module, {@code -Dtest=...}); the
 * inter-op pool runs no work in eager mode and stays as the engine started it.
 */
class TrainerResumeTest {

    private static final MixtralConfig CONFIG = new MixtralConfig(MixtralConfig.MIXTRAL, 32, 64, 2, 4, 2, 8, 4, 2, 1e-5,
            10000, 256, 48, false, 1, 2, true, "topk", 1.25, "swiglu");
    private static final TrainingOptions OPTIONS = new TrainingOptions(12, 4, 16, 1e-2f, 3, 0.01f, 0.01f, 0.001f, 7);

    private static int threadsBefore;

    @TempDir
    Path directory;

    @BeforeAll
    static void oneThread() {
        Engine.getInstance(); // loads the native library JniUtils calls into
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threadsBefore);
    }

    @Test
    void fiveStepsThenSevenEqualTwelveBitForBit() throws Exception {
        int[] tokens = new int[2000];
        SplittableRandom text = new SplittableRandom(3);
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = 3 + text.nextInt(40);
        }
        TokenWindows windows = new TokenWindows(List.of(new TokenWindows.Domain("random", tokens, 1)), OPTIONS.window());
        List<TokenWindows.Batch> heldOut = List.of(windows.sample(2, new SplittableRandom(99)));
        Path straight = directory.resolve("straight");
        Path first = directory.resolve("first");
        Path resumed = directory.resolve("resumed");
        try (NDManager manager = NDManager.newBaseManager()) {
            try (TrainableMixtral model = TrainableMixtral.initialise(CONFIG, OPTIONS.seed(), OPTIONS.window(), manager)) {
                trainer().train(model, windows, heldOut, null, 12, straight);
            }
            try (TrainableMixtral model = TrainableMixtral.initialise(CONFIG, OPTIONS.seed(), OPTIONS.window(), manager)) {
                trainer().train(model, windows, heldOut, null, 5, first);
            }
            assertThat(TrainingState.read(first).step()).isEqualTo(5);
            try (Checkpoint saved = Checkpoint.open(TrainingState.weights(first));
                    TrainableMixtral model = TrainableMixtral.fromCheckpoint(saved, OPTIONS.window(), manager)) {
                Trainer.Outcome outcome = trainer().train(model, windows, heldOut, first, 12, resumed);
                assertThat(outcome.evaluations()).extracting(Trainer.Evaluation::step).containsExactly(4, 8, 12);
            }
        }
        for (String file : List.of("weights/model.safetensors", "adam-mean/model.safetensors",
                "adam-variance/model.safetensors", "state.json")) {
            assertThat(Files.mismatch(straight.resolve(file), resumed.resolve(file))).as(file).isEqualTo(-1L);
        }
        // The run moved: the resumed weights are not the ones it started from.
        assertThat(Files.mismatch(first.resolve("weights/model.safetensors"), resumed.resolve("weights/model.safetensors")))
                .isNotEqualTo(-1L);
    }

    private static Trainer trainer() {
        return new Trainer(OPTIONS, new Trainer.Listener() {
            @Override
            public void onStep(Trainer.StepReport report) {}

            @Override
            public void onEvaluation(Trainer.Evaluation evaluation) {}

            @Override
            public void onSkippedStep(int step, String reason) {}
        }, 4, 100);
    }
}
