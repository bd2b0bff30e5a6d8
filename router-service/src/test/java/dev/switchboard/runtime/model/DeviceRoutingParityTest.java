package dev.switchboard.runtime.model;

import static dev.switchboard.runtime.model.ModelAssertions.argmax;
import static dev.switchboard.runtime.model.ModelAssertions.greedy;
import static dev.switchboard.runtime.model.ModelAssertions.maxAbsDifference;
import static dev.switchboard.runtime.model.ModelAssertions.promptLogits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.fixtures.ReferenceFixture;
import dev.switchboard.runtime.routing.LayerChoice;
import dev.switchboard.runtime.routing.LayerRoutingStats;
import dev.switchboard.runtime.routing.RoutingOverride;
import dev.switchboard.runtime.routing.TokenTrace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Top-k routing on the device ({@link DeviceTopK}, docs/adr/0008-routing-decisions-on-the-device.md) against the host
 * router on the same models: the numpy-reference logits and greedy tokens stay within the parity tolerances, and
 * step by step the decisions are the same experts with weights within {@link #WEIGHT_TOLERANCE}, the per-request
 * statistics within {@link #STATISTICS_TOLERANCE}, over sequences at different positions, with a disabled expert,
 * with a selection bias and with both {@code norm_topk_prob} values. The tensor path runs here ({@code hostDecode} off),
 * as on a GPU; batch-1 CPU decode would otherwise take the Java path, which copies nothing.
 */
class DeviceRoutingParityTest {

    /** float32 softmax on the device, double rounded to float32 on the host: the weights differ by an ulp or so. */
    static final float WEIGHT_TOLERANCE = 1e-6f;

    /**
     * The statistics' sums are float32 on the device and double on the host; over the tens of tokens here they agree
     * to about 1e-7 relative, held to 1e-5 (relative to the value, or absolute below 1).
     */
    static final double STATISTICS_TOLERANCE = 1e-5;

    /** Same decisions and weights within an ulp: the logits differ by rounding only (as in {@link BatchedDecodeTest}). */
    static final float LOGITS_TOLERANCE = BatchedDecodeTest.TOLERANCE;

    static ModelOptions onDevice() {
        return ModelOptions.defaults().withDeviceRouting(DeviceRouting.ON).withHostDecode(false);
    }

    static ModelOptions onHost() {
        return ModelOptions.defaults().withDeviceRouting(DeviceRouting.OFF).withHostDecode(false);
    }

    @ParameterizedTest
    @ValueSource(strings = {ReferenceFixture.TINY_F32, ReferenceFixture.MHA_TOP1, ReferenceFixture.GQA6_TOP2,
            ReferenceFixture.TINY_SHARDED, ReferenceFixture.TINY_BF16, ReferenceFixture.TINY_F16,
            ReferenceFixture.QWEN2_MOE_SHARED, ReferenceFixture.QWEN2_MOE_DENSE_BF16, ReferenceFixture.QWEN3_MOE_HEAD_DIM,
            ReferenceFixture.QWEN3_MOE_BF16, ReferenceFixture.OLMOE_CLIP, ReferenceFixture.OLMOE_BF16})
    void theReferenceLogitsAndGreedyTokensAreUnchangedWithRoutingOnTheDevice(String name) {
        ReferenceFixture fixture = ReferenceFixture.named(name);
        try (Checkpoint checkpoint = fixture.open(); MoeModel model = MoeModel.load(checkpoint, onDevice())) {
            float[] logits = promptLogits(model, fixture.promptIds());
            assertThat(maxAbsDifference(logits, fixture.logits())).isLessThan(ReferenceParityTest.F32_TOLERANCE);
            assertThat(greedy(model, fixture.promptIds(), 16)).containsExactly(fixture.generatedIds());
        }
    }

    /** What the layers' tables get on both models before the steps. */
    enum Table { AS_LOADED, EXPERT_DISABLED, SELECTION_BIAS }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        // Mixtral renormalises (norm_topk_prob), Qwen2-MoE does not, OLMoE-bf16 is top-1 of 8, gqa6 top-2 of 6
        for (String fixture : List.of(ReferenceFixture.TINY_F32, ReferenceFixture.QWEN2_MOE_SHARED,
                ReferenceFixture.OLMOE_BF16, ReferenceFixture.GQA6_TOP2)) {
            for (Table table : Table.values()) {
                cases.add(Arguments.of(fixture, table));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void deviceAndHostRoutingGiveTheSameDecisionsWeightsStatisticsAndTokens(String name, Table table) {
        ReferenceFixture fixture = ReferenceFixture.named(name);
        try (Checkpoint checkpoint = fixture.open();
                MoeModel device = MoeModel.load(checkpoint, onDevice());
                MoeModel host = MoeModel.load(checkpoint, onHost())) {
            int experts = device.experts().layer(0).size();
            edit(device, table, experts);
            edit(host, table, experts);
            int[][] prompts = {{5, 9, 200, 42, 17}, {3}, {11, 2, 8, 150, 6, 77, 31, 4, 90}}; // different positions
            List<SequenceState> onDevice = new ArrayList<>();
            List<SequenceState> onHostSide = new ArrayList<>();
            try {
                List<StepInput> deviceInputs = new ArrayList<>();
                List<StepInput> hostInputs = new ArrayList<>();
                for (int[] prompt : prompts) {
                    SequenceState d = device.newSequence();
                    SequenceState h = host.newSequence();
                    onDevice.add(d);
                    onHostSide.add(h);
                    deviceInputs.add(new StepInput(d, prompt));
                    hostInputs.add(new StepInput(h, prompt));
                }
                for (int step = 0; step < 5; step++) { // a prefill of three prompts, then decode steps of all three
                    StepResult d = device.forward(deviceInputs, ForwardOptions.TRACE);
                    StepResult h = host.forward(hostInputs, ForwardOptions.TRACE);
                    assertSameStep(d, h, table, experts);
                    deviceInputs.clear();
                    hostInputs.clear();
                    for (int s = 0; s < prompts.length; s++) {
                        int next = argmax(h.lastLogits(s));
                        assertThat(argmax(d.lastLogits(s))).as("greedy token of sequence %d at step %d", s, step)
                                .isEqualTo(next);
                        deviceInputs.add(new StepInput(onDevice.get(s), new int[] {next}));
                        hostInputs.add(new StepInput(onHostSide.get(s), new int[] {next}));
                    }
                }
            } finally {
                onDevice.forEach(SequenceState::close);
                onHostSide.forEach(SequenceState::close);
            }
        }
    }

    @Test
    void aWhatIfOverrideInTheStepRoutesTheStepOnTheHostWithItsFullRows() {
        ReferenceFixture fixture = ReferenceFixture.named(ReferenceFixture.TINY_F32);
        try (Checkpoint checkpoint = fixture.open(); MoeModel model = MoeModel.load(checkpoint, onDevice())) {
            int layers = model.config().numHiddenLayers();
            int experts = model.config().numLocalExperts();
            boolean[][] masked = new boolean[layers][experts];
            for (boolean[] layer : masked) {
                layer[1] = true;
            }
            RoutingOverride whatIf = new RoutingOverride(0, masked, new float[layers][0]);
            try (SequenceState overridden = model.newSequence(whatIf); SequenceState plain = model.newSequence()) {
                StepResult result = model.forward(List.of(new StepInput(overridden, fixture.promptIds()),
                        new StepInput(plain, fixture.promptIds())), new ForwardOptions(true, true, false));
                for (List<TokenTrace> sequence : result.trace()) {
                    assertThat(sequence).isNotEmpty().allSatisfy(token -> assertThat(token.layers()).allSatisfy(layer -> {
                        assertThat(layer.probabilities()).hasSize(experts); // the full row, from the host
                        double sum = 0;
                        for (float p : layer.probabilities()) {
                            sum += p;
                        }
                        assertThat(sum).isCloseTo(1.0, within(1e-5));
                    }));
                }
                assertThat(result.trace().get(0)).allSatisfy(token -> assertThat(token.layers())
                        .allSatisfy(layer -> assertThat(layer.experts()).doesNotContain(1)));
            }
        }
    }

    /** Disables expert 1 everywhere, or biases the selection towards the last expert by a margin that changes choices. */
    private static void edit(MoeModel model, Table table, int experts) {
        if (table == Table.AS_LOADED) {
            return;
        }
        ExpertTable next = model.experts();
        for (int l = 0; l < next.layers().size(); l++) {
            LayerExperts layer = next.layer(l);
            boolean[] disabled = layer.disabled();
            float[] bias = layer.selectionBias();
            if (table == Table.EXPERT_DISABLED) {
                disabled[1] = true;
            } else {
                bias[experts - 1] = 0.3f;
                bias[0] = -0.1f;
            }
            next = next.withLayer(l, new LayerExperts(layer.gate(), layer.experts(), disabled, bias));
        }
        model.swapExperts(next);
    }

    private static void assertSameStep(StepResult device, StepResult host, Table table, int experts) {
        for (int s = 0; s < host.logits().length; s++) {
            assertThat(maxAbsDifference(device.lastLogits(s), host.lastLogits(s))).isLessThan(LOGITS_TOLERANCE);
            List<TokenTrace> d = device.trace().get(s);
            List<TokenTrace> h = host.trace().get(s);
            assertThat(d).hasSameSizeAs(h);
            for (int t = 0; t < h.size(); t++) {
                for (int l = 0; l < h.get(t).layers().size(); l++) {
                    LayerChoice dc = d.get(t).layers().get(l);
                    LayerChoice hc = h.get(t).layers().get(l);
                    assertThat(dc.experts()).as("token %d layer %d", t, l).containsExactly(hc.experts());
                    for (int i = 0; i < hc.weights().length; i++) {
                        assertThat(dc.weights()[i]).isCloseTo(hc.weights()[i], within(WEIGHT_TOLERANCE));
                    }
                    if (table == Table.EXPERT_DISABLED) {
                        assertThat(dc.experts()).doesNotContain(1);
                    }
                }
            }
            for (int l = 0; l < host.inputStats().get(s).size(); l++) {
                assertSameStats(device.inputStats().get(s).get(l), host.inputStats().get(s).get(l));
            }
        }
    }

    private static void assertSameStats(LayerRoutingStats device, LayerRoutingStats host) {
        assertThat(device.layer()).isEqualTo(host.layer());
        assertThat(device.tokens()).isEqualTo(host.tokens());
        assertThat(device.firstChoice()).containsExactly(host.firstChoice());
        assertThat(device.anyChoice()).containsExactly(host.anyChoice());
        assertThat(device.droppedTokens()).isEqualTo(host.droppedTokens());
        assertThat(device.routerProbabilitySum()).hasSameSizeAs(host.routerProbabilitySum());
        for (int e = 0; e < host.routerProbabilitySum().length; e++) {
            close(device.routerProbabilitySum()[e], host.routerProbabilitySum()[e], "P sum of expert " + e);
        }
        close(device.auxLoss(), host.auxLoss(), "aux loss");
        close(device.zLoss(), host.zLoss(), "z-loss");
        close(device.entropy(), host.entropy(), "entropy");
        assertThat(host.entropy()).as("a router that is not one-hot (else entropy proves nothing)").isPositive();
    }

    private static void close(double device, double host, String what) {
        assertThat(device).as(what + Arrays.toString(new double[] {device, host}))
                .isCloseTo(host, within(STATISTICS_TOLERANCE * Math.max(1, Math.abs(host))));
    }
}
