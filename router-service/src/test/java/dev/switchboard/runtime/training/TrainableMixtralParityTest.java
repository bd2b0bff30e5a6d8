package dev.switchboard.runtime.training;

import static dev.switchboard.runtime.model.ModelAssertions.maxAbsDifference;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.TensorDtype;
import dev.switchboard.runtime.fixtures.ReferenceFixture;
import dev.switchboard.runtime.model.ForwardOptions;
import dev.switchboard.runtime.model.ModelOptions;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.model.SequenceState;
import dev.switchboard.runtime.model.StepInput;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training forward pass computes the served model's function: checked against the numpy reference and the runtime. */
class TrainableMixtralParityTest {

    /** float32 on both sides, different operation order (the runtime measures ≤ 1.4e-6 on the same fixtures). */
    private static final float TOLERANCE = 1e-4f;

    @Test
    void lastPositionLogitsMatchTheNumpyReference() {
        for (String name : List.of(ReferenceFixture.TINY_F32, ReferenceFixture.MHA_TOP1, ReferenceFixture.GQA6_TOP2)) {
            ReferenceFixture fixture = ReferenceFixture.named(name);
            int[] prompt = fixture.promptIds();
            try (NDManager manager = NDManager.newBaseManager();
                    Checkpoint checkpoint = fixture.open();
                    TrainableMixtral model = TrainableMixtral.fromCheckpoint(checkpoint, prompt.length, manager)) {
                float[] logits = lastRow(model.forward(manager, new int[][] {prompt}).logits().toFloatArray(),
                        prompt.length, checkpoint.config().vocabSize());
                assertThat(maxAbsDifference(logits, fixture.logits())).as(name).isLessThan(TOLERANCE);
            }
        }
    }

    @Test
    void aSavedFreshModelLoadsInTheRuntimeWithTheSameLogits(@TempDir Path directory) {
        ReferenceFixture fixture = ReferenceFixture.named(ReferenceFixture.TINY_F32);
        int[] prompt = Arrays.copyOf(fixture.promptIds(), 12);
        float[] trained;
        try (NDManager manager = NDManager.newBaseManager();
                Checkpoint template = fixture.open();
                TrainableMixtral model = TrainableMixtral.initialise(template.config(), 11, prompt.length, manager)) {
            trained = lastRow(model.forward(manager, new int[][] {prompt}).logits().toFloatArray(),
                    prompt.length, template.config().vocabSize());
            model.save(directory, TensorDtype.F32);
        }
        try (Checkpoint saved = Checkpoint.open(directory);
                MoeModel runtime = MoeModel.load(saved, ModelOptions.defaults());
                SequenceState sequence = runtime.newSequence()) {
            float[] served = runtime.forward(List.of(new StepInput(sequence, prompt)), ForwardOptions.DEFAULT).lastLogits(0);
            assertThat(maxAbsDifference(served, trained)).isLessThan(TOLERANCE);
        }
    }

    static float[] lastRow(float[] logits, int rows, int vocab) {
        return Arrays.copyOfRange(logits, (rows - 1) * vocab, rows * vocab);
    }
}
