package dev.switchboard.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.fixtures.ReferenceFixture;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a serving step copies from the model's device to the JVM (docs/adr/0007-what-crosses-the-host-device-boundary.md):
 * per MoE layer one copy of the router logits, {@code tokens × numExperts} floats, and per step one copy of the
 * logits of each input's last token, {@code inputs × vocab} floats. Counted at the runtime's one copying place,
 * {@link HostCopy}, wrapped here; on a GPU each of these copies is a wait for the device. With routing on the device
 * (docs/adr/0008-routing-decisions-on-the-device.md) the per-layer copy is the decision only, {@code tokens × 2k}, and
 * the statistics of all layers cross as extra columns of the logits copy: no more copies than on the host.
 */
class HostCopiesPerStepTest {

    @Test
    void aDecodeStepOfThreeSequencesCopiesOneRouterRowPerLayerAndOneLogitsBlock() {
        CountingCopies counting = new CountingCopies();
        try (Checkpoint checkpoint = ReferenceFixture.named(ReferenceFixture.TINY_F32).open();
                // the tensor path, which a GPU runs (on the CPU a decode step of any batch runs on the host path)
                MoeModel model = MoeModel.load(checkpoint,
                        ModelOptions.defaults().withHostCopy(counting).withHostDecode(false))) {
            MixtralConfig config = model.config();
            StepCopies copies = prefillThenDecodeThreeSequences(model, counting, ForwardOptions.DEFAULT);
            List<Long> expected = new ArrayList<>();
            for (int l = 0; l < config.numHiddenLayers(); l++) {
                expected.add(3L * config.numLocalExperts()); // (3 tokens, numExperts) router logits
            }
            expected.add(3L * config.vocabSize()); // (3 inputs, vocab): each input's last token
            assertThat(copies.decode()).containsExactlyElementsOf(expected);
            // Prefill copies the router logits of all 12 prompt tokens, but still only the 3 last tokens' logits.
            assertThat(copies.prefill()).hasSize(config.numHiddenLayers() + 1)
                    .startsWith(12L * config.numLocalExperts()).endsWith(3L * config.vocabSize());
        }
    }

    @Test
    void aBatchOneDecodeStepOnTheHostPathCopiesNothingAndOnTheTensorPathOneRouterRowPerLayerAndTheLogits() {
        for (boolean hostDecode : new boolean[] {true, false}) {
            CountingCopies counting = new CountingCopies();
            try (Checkpoint checkpoint = ReferenceFixture.named(ReferenceFixture.TINY_F32).open();
                    MoeModel model = MoeModel.load(checkpoint,
                            ModelOptions.defaults().withHostCopy(counting).withHostDecode(hostDecode));
                    SequenceState sequence = model.newSequence()) {
                MixtralConfig config = model.config();
                model.forward(List.of(new StepInput(sequence, new int[] {5, 9, 300})), ForwardOptions.DEFAULT);
                counting.sizes.clear();
                model.forward(List.of(new StepInput(sequence, new int[] {7})), ForwardOptions.DEFAULT);
                List<Long> expected = new ArrayList<>();
                if (!hostDecode) {
                    for (int l = 0; l < config.numHiddenLayers(); l++) {
                        expected.add((long) config.numLocalExperts());
                    }
                    expected.add((long) config.vocabSize());
                }
                // The host path computes router and output logits in Java from tensors in host memory: nothing crosses.
                assertThat(model.decodesOnHost()).isEqualTo(hostDecode);
                assertThat(counting.sizes).as("host decode %s", hostDecode).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void withRoutingOnTheDeviceAStepCopiesIdsAndWeightsPerLayerAndTheStatisticsWithTheLogits() {
        CountingCopies counting = new CountingCopies();
        // six experts, top-2: a decision (2k = 4 numbers a token) is smaller than a row of router logits (6)
        try (Checkpoint checkpoint = ReferenceFixture.named(ReferenceFixture.GQA6_TOP2).open();
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults().withHostCopy(counting)
                        .withDeviceRouting(DeviceRouting.ON).withHostDecode(false))) {
            MixtralConfig config = model.config();
            int k = config.numExpertsPerTok();
            int statistics = config.numHiddenLayers() * (config.numLocalExperts() + 2); // per sequence: layers · (N + 2)
            // a trace of the chosen experts needs no full rows
            StepCopies copies = prefillThenDecodeThreeSequences(model, counting, ForwardOptions.TRACE);
            List<Long> expectedDecode = new ArrayList<>();
            List<Long> expectedPrefill = new ArrayList<>();
            for (int l = 0; l < config.numHiddenLayers(); l++) {
                expectedDecode.add(3L * 2 * k); // (3 tokens, k ids + k weights)
                expectedPrefill.add(12L * 2 * k); // (12 prompt tokens, 2k)
            }
            // (3 inputs, vocab + statistics): the sums per sequence ride along with each input's last logits
            expectedDecode.add(3L * (config.vocabSize() + statistics));
            expectedPrefill.add(3L * (config.vocabSize() + statistics));
            assertThat(copies.decode()).containsExactlyElementsOf(expectedDecode);
            assertThat(copies.prefill()).containsExactlyElementsOf(expectedPrefill);
        }
    }

    @Test
    void aStepThatAsksForTheFullDistributionCopiesTheRouterRowsAsOnTheHost() {
        CountingCopies counting = new CountingCopies();
        try (Checkpoint checkpoint = ReferenceFixture.named(ReferenceFixture.GQA6_TOP2).open();
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults().withHostCopy(counting)
                        .withDeviceRouting(DeviceRouting.ON).withHostDecode(false));
                SequenceState sequence = model.newSequence()) {
            MixtralConfig config = model.config();
            model.forward(List.of(new StepInput(sequence, new int[] {5, 9, 300})), ForwardOptions.DEFAULT);
            counting.sizes.clear();
            model.forward(List.of(new StepInput(sequence, new int[] {7})), new ForwardOptions(true, true, false));
            List<Long> expected = new ArrayList<>();
            for (int l = 0; l < config.numHiddenLayers(); l++) {
                expected.add((long) config.numLocalExperts()); // the router row, for the trace's probabilities
            }
            expected.add((long) config.vocabSize());
            assertThat(counting.sizes).containsExactlyElementsOf(expected);
        }
    }

    /** The sizes of what crossed {@link HostCopy}, in order. */
    private static final class CountingCopies implements HostCopy {
        final List<Long> sizes = Collections.synchronizedList(new ArrayList<>());

        @Override
        public float[] toHost(NDArray array) {
            sizes.add(array.size());
            return HostCopy.DIRECT.toHost(array);
        }
    }

    /** What crossed during a prefill and during the decode step after it. */
    private record StepCopies(List<Long> prefill, List<Long> decode) {}

    /** Prefills three 4-token prompts in one step, then decodes one token of each with {@code decodeOptions}. */
    private static StepCopies prefillThenDecodeThreeSequences(MoeModel model, CountingCopies counting,
            ForwardOptions decodeOptions) {
        List<SequenceState> sequences = new ArrayList<>();
        try {
            List<StepInput> prompts = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                SequenceState sequence = model.newSequence();
                sequences.add(sequence);
                prompts.add(new StepInput(sequence, new int[] {5 + s, 9, 300, 42 + s}));
            }
            counting.sizes.clear();
            model.forward(prompts, ForwardOptions.DEFAULT);
            List<Long> prefill = List.copyOf(counting.sizes);
            counting.sizes.clear();
            List<StepInput> decode = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                decode.add(new StepInput(sequences.get(s), new int[] {7 + s}));
            }
            assertThat(model.forward(decode, decodeOptions).logits().length).isEqualTo(3);
            return new StepCopies(prefill, List.copyOf(counting.sizes));
        } finally {
            sequences.forEach(SequenceState::close);
        }
    }
}
