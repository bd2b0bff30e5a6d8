package dev.switchboard.runtime.model;

import dev.switchboard.runtime.routing.TokenTrace;
import dev.switchboard.runtime.fixtures.ReferenceFixture;

import static dev.switchboard.runtime.model.ModelAssertions.maxAbsDifference;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.checkpoint.Checkpoint;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Disabled experts get no traffic; a failing expert is disabled and the step still succeeds. */
class FaultIsolationTest {

    static final int[] PROMPT = {1, 5, 9, 300, 42, 7};

    @Test
    void anExpertDisabledBySwapNeverAppearsInTheTrace() {
        try (Checkpoint checkpoint = ReferenceFixture.named(ReferenceFixture.TINY_F32).open();
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults())) {
            int expert = firstChoice(model);
            ExpertTable before = model.experts();
            model.swapExperts(before.withDisabled(0, expert, true));
            assertThat(before.layer(0).isDisabled(expert)).as("tables are immutable").isFalse();
            try (SequenceState sequence = model.newSequence()) {
                StepResult prefill = model.forward(List.of(new StepInput(sequence, PROMPT)), ForwardOptions.TRACE);
                StepResult decode = model.forward(List.of(new StepInput(sequence, new int[] {3})), ForwardOptions.TRACE);
                for (StepResult step : List.of(prefill, decode)) {
                    for (TokenTrace token : step.trace().get(0)) {
                        assertThat(token.layers().get(0).experts()).doesNotContain(expert).hasSize(2);
                    }
                    assertThat(step.inputStats().get(0).get(0).anyChoice()[expert]).isZero();
                }
            }
        }
    }

    /** Also with the routing on the device (ADR 0008): the layer is routed again there without the failed expert. */
    @ParameterizedTest
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void aFailingExpertIsDisabledAndTheStepMatchesRunningWithoutIt(boolean wrongShape, boolean routingOnDevice) {
        ReferenceFixture fixture = ReferenceFixture.named(ReferenceFixture.TINY_F32);
        float[] expected;
        int expert;
        try (Checkpoint checkpoint = fixture.open(); MoeModel healthy = MoeModel.load(checkpoint, ModelOptions.defaults())) {
            expert = firstChoice(healthy);
            healthy.swapExperts(healthy.experts().withDisabled(0, expert, true));
            expected = ModelAssertions.promptLogits(healthy, PROMPT);
        }
        List<ExpertFault> faults = new CopyOnWriteArrayList<>();
        WrappingKinds.Faulty kind = new WrappingKinds.Faulty(4, 0, expert, wrongShape);
        ModelOptions options = ModelOptions.defaults().withExpertKinds(WrappingKinds.resolver(kind)).withFaultListener(faults::add)
                .withDeviceRouting(routingOnDevice ? DeviceRouting.ON : DeviceRouting.OFF);
        try (Checkpoint checkpoint = fixture.open(); MoeModel model = MoeModel.load(checkpoint, options)) {
            float[] logits = ModelAssertions.promptLogits(model, PROMPT);
            assertThat(logits).hasSize(checkpoint.config().vocabSize());
            assertThat(maxAbsDifference(logits, expected)).isLessThan(1e-5f);
            assertThat(model.experts().layer(0).isDisabled(expert)).isTrue();
            assertThat(faults).hasSize(1);
            assertThat(faults.get(0).layer()).isZero();
            assertThat(faults.get(0).expert()).isEqualTo(expert);
            assertThat(faults.get(0).reason()).contains(wrongShape ? "returned" : "simulated plugin bug");
            ModelAssertions.promptLogits(model, PROMPT); // later steps route around it without new faults
            assertThat(faults).hasSize(1);
        }
    }

    /** Layer 0's first choice for the prompt's first token: an expert the prompt certainly uses. */
    private static int firstChoice(MoeModel model) {
        try (SequenceState sequence = model.newSequence()) {
            StepResult result = model.forward(List.of(new StepInput(sequence, PROMPT)), ForwardOptions.TRACE);
            return result.trace().get(0).get(0).layers().get(0).experts()[0];
        }
    }
}
