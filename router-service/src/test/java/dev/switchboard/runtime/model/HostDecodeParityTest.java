package dev.switchboard.runtime.model;

import static dev.switchboard.runtime.model.ModelAssertions.argmax;
import static dev.switchboard.runtime.model.ModelAssertions.greedy;
import static dev.switchboard.runtime.model.ModelAssertions.maxAbsDifference;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.fixtures.ReferenceFixture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The batch-1 decode path that runs the layers in Java ({@link HostDecode}) against the numpy reference, and against
 * the PyTorch path of the same model. The prompt is fed one token per step, so every position, the reference's last
 * prompt logits included, comes from the host path; then the reference's greedy continuation.
 */
class HostDecodeParityTest {

    /**
     * Host path against the tensor path over the same steps: the same float32 operations in another order (sums of
     * dot products in Vector API lanes, the router's logits from a dot product instead of PyTorch's linear); measured
     * at most about 1e-6 on these fixtures, held to the reference tolerance.
     */
    static final float PATH_TOLERANCE = ReferenceParityTest.F32_TOLERANCE;

    @ParameterizedTest
    @ValueSource(strings = {ReferenceFixture.TINY_F32, ReferenceFixture.MHA_TOP1, ReferenceFixture.GQA6_TOP2,
            ReferenceFixture.QWEN2_MOE_SHARED, ReferenceFixture.QWEN2_MOE_DENSE_BF16, ReferenceFixture.QWEN3_MOE_HEAD_DIM,
            ReferenceFixture.OLMOE_CLIP})
    void tokenByTokenLogitsAndGreedyTokensOnTheHostPathMatchTheReference(String name) {
        ReferenceFixture fixture = ReferenceFixture.named(name);
        try (Checkpoint checkpoint = fixture.open();
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults().withHostDecode(true))) {
            assertThat(model.decodesOnHost()).as("the host path is available in this JVM").isTrue();
            float[] logits;
            try (SequenceState sequence = model.newSequence()) {
                logits = null;
                for (int id : fixture.promptIds()) { // each a step of one sequence and one token: the host path
                    logits = model.forward(List.of(new StepInput(sequence, new int[] {id})), ForwardOptions.DEFAULT)
                            .lastLogits(0);
                }
            }
            assertThat(maxAbsDifference(logits, fixture.logits())).isLessThan(ReferenceParityTest.F32_TOLERANCE);
            assertThat(greedy(model, fixture.promptIds(), 16)).containsExactly(fixture.generatedIds());
        }
    }

    @Test
    void hostAndTensorPathsGiveTheSameLogitsOverDecodeStepsAndShareTheCache() {
        ReferenceFixture fixture = ReferenceFixture.named(ReferenceFixture.TINY_F32);
        try (Checkpoint checkpoint = fixture.open();
                MoeModel host = MoeModel.load(checkpoint, ModelOptions.defaults().withHostDecode(true));
                MoeModel tensors = MoeModel.load(checkpoint, ModelOptions.defaults().withHostDecode(false));
                SequenceState onHost = host.newSequence();
                SequenceState onTensors = tensors.newSequence();
                SequenceState otherOnHost = host.newSequence();
                SequenceState otherOnTensors = tensors.newSequence()) {
            assertThat(host.decodesOnHost()).isTrue();
            assertThat(tensors.decodesOnHost()).isFalse();
            int[] prompt = fixture.promptIds();
            float[] a = host.forward(List.of(new StepInput(onHost, prompt)), ForwardOptions.DEFAULT).lastLogits(0);
            float[] b = tensors.forward(List.of(new StepInput(onTensors, prompt)), ForwardOptions.DEFAULT).lastLogits(0);
            for (int step = 0; step < 12; step++) { // batch-1 decode: host path against PyTorch
                int next = argmax(b);
                a = host.forward(List.of(new StepInput(onHost, new int[] {next})), ForwardOptions.DEFAULT).lastLogits(0);
                b = tensors.forward(List.of(new StepInput(onTensors, new int[] {next})), ForwardOptions.DEFAULT).lastLogits(0);
                assertThat(maxAbsDifference(a, b)).as("decode step %d", step).isLessThan(PATH_TOLERANCE);
            }
            // A batch of two runs the tensor path in both models; the host-run sequence's keys and values written in
            // place must be what PyTorch then reads from the pool.
            host.forward(List.of(new StepInput(otherOnHost, new int[] {3, 4, 5})), ForwardOptions.DEFAULT);
            tensors.forward(List.of(new StepInput(otherOnTensors, new int[] {3, 4, 5})), ForwardOptions.DEFAULT);
            int next = argmax(b);
            StepResult both = host.forward(List.of(new StepInput(onHost, new int[] {next}),
                    new StepInput(otherOnHost, new int[] {next})), ForwardOptions.DEFAULT);
            StepResult reference = tensors.forward(List.of(new StepInput(onTensors, new int[] {next}),
                    new StepInput(otherOnTensors, new int[] {next})), ForwardOptions.DEFAULT);
            assertThat(maxAbsDifference(both.lastLogits(0), reference.lastLogits(0))).isLessThan(PATH_TOLERANCE);
            assertThat(maxAbsDifference(both.lastLogits(1), reference.lastLogits(1))).isLessThan(PATH_TOLERANCE);
        }
    }
}
