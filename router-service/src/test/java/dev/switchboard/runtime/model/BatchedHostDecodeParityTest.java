package dev.switchboard.runtime.model;

import static dev.switchboard.runtime.model.ModelAssertions.argmax;
import static dev.switchboard.runtime.model.ModelAssertions.maxAbsDifference;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.checkpoint.SafetensorsWriter;
import dev.switchboard.runtime.checkpoint.TensorDtype;
import dev.switchboard.runtime.checkpoint.TensorLayout;
import dev.switchboard.runtime.fixtures.ReferenceFixture;
import dev.switchboard.runtime.routing.LayerRoutingStats;
import dev.switchboard.runtime.routing.RoutingOverride;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Decode steps of several sequences on the host path ({@link HostDecode}): every sequence adds one token per step, at
 * its own position. Sequence 0 is the reference fixture's prompt fed one token per step beside the others, so its last
 * prompt logits come from batched host steps and are held to the numpy reference; every step of every sequence is
 * held to the PyTorch path of the same model fed the same tokens (logits and routing), which is
 * {@link HostDecodeParityTest}'s batch-1 comparison for batches.
 */
class BatchedHostDecodeParityTest {

    @ParameterizedTest(name = "{0}, {1} sequences")
    @CsvSource({ReferenceFixture.TINY_F32 + ", 3", ReferenceFixture.TINY_F32 + ", 16", ReferenceFixture.MHA_TOP1 + ", 3",
            ReferenceFixture.GQA6_TOP2 + ", 5", ReferenceFixture.QWEN2_MOE_SHARED + ", 3",
            ReferenceFixture.QWEN2_MOE_DENSE_BF16 + ", 3", ReferenceFixture.QWEN3_MOE_HEAD_DIM + ", 4",
            ReferenceFixture.OLMOE_CLIP + ", 3"})
    void batchedDecodeStepsOnTheHostMatchTheReferenceAndThePyTorchPath(String name, int sequences) {
        ReferenceFixture fixture = ReferenceFixture.named(name);
        try (Checkpoint checkpoint = fixture.open();
                MoeModel host = MoeModel.load(checkpoint, ModelOptions.defaults().withHostDecode(true));
                MoeModel tensors = MoeModel.load(checkpoint, ModelOptions.defaults().withHostDecode(false))) {
            assertThat(host.decodesOnHost()).as("the host path is available in this JVM").isTrue();
            Pair pair = new Pair(host, tensors, sequences, null);
            try {
                pair.prefillOthers(fixture.promptIds().length);
                float[] last = null;
                for (int id : fixture.promptIds()) { // sequence 0's prompt, one token per batched decode step
                    last = pair.step(id)[0];
                }
                assertThat(maxAbsDifference(last, fixture.logits())).isLessThan(ReferenceParityTest.F32_TOLERANCE);
                int[] generated = new int[fixture.generatedIds().length];
                for (int t = 0; t < generated.length; t++) {
                    generated[t] = argmax(last);
                    last = pair.step(generated[t])[0];
                }
                assertThat(generated).containsExactly(fixture.generatedIds());
            } finally {
                pair.close();
            }
        }
    }

    @ParameterizedTest(name = "{0} sequences")
    @CsvSource({"3", "8"})
    void aSequenceWithARoutingOverrideKeepsItInABatchedHostStep(int sequences) {
        ReferenceFixture fixture = ReferenceFixture.named(ReferenceFixture.TINY_F32);
        boolean[][] masked = new boolean[RoutingOverrideTest.LAYERS][RoutingOverrideTest.EXPERTS];
        for (boolean[] layer : masked) {
            layer[1] = true; // no token of the overridden sequence may reach expert 1
        }
        RoutingOverride override = new RoutingOverride(1, masked,
                new float[RoutingOverrideTest.LAYERS][RoutingOverrideTest.EXPERTS]);
        try (Checkpoint checkpoint = fixture.open();
                MoeModel host = MoeModel.load(checkpoint, ModelOptions.defaults().withHostDecode(true));
                MoeModel tensors = MoeModel.load(checkpoint, ModelOptions.defaults().withHostDecode(false))) {
            Pair pair = new Pair(host, tensors, sequences, override);
            try {
                pair.prefillOthers(4);
                for (int id : fixture.promptIds()) {
                    pair.step(id);
                }
                List<LayerRoutingStats> overridden = pair.lastHostStats.get(sequences - 1);
                for (LayerRoutingStats layer : overridden) {
                    assertThat(layer.anyChoice()[1]).as("layer %d, masked expert", layer.layer()).isZero();
                    assertThat(Arrays.stream(layer.anyChoice()).sum()).as("top-1 for the override").isEqualTo(1);
                }
            } finally {
                pair.close();
            }
        }
    }

    /**
     * The fixtures have at most three query heads per kv head; the host path reads a key once for four query heads
     * when a kv head has four or more, as in the presets (8 heads on 2 kv heads). Random checkpoints of that shape
     * (and of 8 heads on one kv head), host against PyTorch path.
     */
    @ParameterizedTest(name = "{0} query heads on {1} kv heads")
    @CsvSource({"8, 2", "8, 1", "12, 2"})
    void queryHeadsThatShareAKvHeadByFourOrMoreMatchThePyTorchPath(int heads, int kvHeads) throws IOException {
        Path dir = randomCheckpoint(tmp.resolve(heads + "-" + kvHeads), heads, kvHeads);
        try (Checkpoint checkpoint = Checkpoint.open(dir);
                MoeModel host = MoeModel.load(checkpoint, ModelOptions.defaults().withHostDecode(true));
                MoeModel tensors = MoeModel.load(checkpoint, ModelOptions.defaults().withHostDecode(false))) {
            Pair pair = new Pair(host, tensors, 5, null);
            try {
                pair.prefillOthers(9);
                for (int step = 0; step < 12; step++) {
                    pair.step(3 + step * 29 % 500); // every step compared inside
                }
            } finally {
                pair.close();
            }
        }
    }

    @TempDir
    Path tmp;

    /** The tiny fixture's config with other head counts, and random weights of the shapes it implies. */
    private static Path randomCheckpoint(Path out, int heads, int kvHeads) throws IOException {
        Path tiny = ReferenceFixture.named(ReferenceFixture.TINY_F32).dir();
        Files.createDirectories(out);
        JsonObject config = JsonParser.parseString(Files.readString(tiny.resolve("config.json"))).getAsJsonObject();
        config.addProperty("num_attention_heads", heads);
        config.addProperty("num_key_value_heads", kvHeads);
        Files.writeString(out.resolve("config.json"), config.toString());
        for (String file : List.of("tokenizer.json", "tokenizer_config.json", "generation_config.json")) {
            Files.copy(tiny.resolve(file), out.resolve(file));
        }
        SplittableRandom random = new SplittableRandom(heads * 31L + kvHeads);
        SafetensorsWriter writer = new SafetensorsWriter(TensorDtype.F32);
        for (var tensor : TensorLayout.expected(MixtralConfig.fromJson(out.resolve("config.json"))).values()) {
            long[] shape = tensor.shape();
            float[] values = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
            boolean norm = shape.length == 1; // the norms' weights: around 1
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (norm ? random.nextDouble(0.8, 1.2) : random.nextDouble(-0.2, 0.2));
            }
            writer.add(tensor.name(), shape, values);
        }
        writer.write(out.resolve("model.safetensors"));
        return out;
    }

    @Test
    void aBatchedDecodeStepOnTheHostPathCopiesNothingThroughHostCopy() {
        List<Long> copied = Collections.synchronizedList(new ArrayList<>());
        HostCopy counting = array -> {
            copied.add(array.size());
            return HostCopy.DIRECT.toHost(array);
        };
        try (Checkpoint checkpoint = ReferenceFixture.named(ReferenceFixture.TINY_F32).open();
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults().withHostCopy(counting));
                SequenceState a = model.newSequence();
                SequenceState b = model.newSequence();
                SequenceState c = model.newSequence()) {
            model.forward(List.of(new StepInput(a, new int[] {5, 9}), new StepInput(b, new int[] {6, 9, 300}),
                    new StepInput(c, new int[] {7})), ForwardOptions.DEFAULT);
            assertThat(copied).as("prefill runs the tensor path").isNotEmpty();
            copied.clear();
            StepResult decode = model.forward(List.of(new StepInput(a, new int[] {7}), new StepInput(b, new int[] {8}),
                    new StepInput(c, new int[] {9})), ForwardOptions.DEFAULT);
            // router and output logits computed in Java from tensors in host memory (ADR 0007)
            assertThat(copied).isEmpty();
            assertThat(decode.logits()).hasNumberOfRows(3);
        }
    }

    /**
     * The same sequences in a model on the host path and one on the PyTorch path, stepped together: sequence 0 gets
     * the tokens the test gives; the others, prefilled with prompts of different lengths, their greedy next tokens.
     * The last sequence carries {@code override}, when there is one.
     */
    private static final class Pair {
        private final MoeModel host;
        private final MoeModel tensors;
        private final List<SequenceState> onHost = new ArrayList<>();
        private final List<SequenceState> onTensors = new ArrayList<>();
        private final int[] next;
        private int steps;
        List<List<LayerRoutingStats>> lastHostStats;

        Pair(MoeModel host, MoeModel tensors, int sequences, RoutingOverride override) {
            this.host = host;
            this.tensors = tensors;
            for (int s = 0; s < sequences; s++) {
                boolean overridden = override != null && s == sequences - 1;
                onHost.add(overridden ? host.newSequence(override) : host.newSequence());
                onTensors.add(overridden ? tensors.newSequence(override) : tensors.newSequence());
            }
            next = new int[sequences];
        }

        /** Every sequence but 0 gets a prompt of its own length (prefill, the PyTorch path in both models). */
        void prefillOthers(int around) {
            for (int s = 1; s < onHost.size(); s++) {
                int[] prompt = new int[1 + (s * 7 + around) % 23];
                for (int i = 0; i < prompt.length; i++) {
                    prompt[i] = 3 + (s * 131 + i * 17) % 200;
                }
                float[] a = host.forward(List.of(new StepInput(onHost.get(s), prompt)), ForwardOptions.DEFAULT)
                        .lastLogits(0);
                float[] b = tensors.forward(List.of(new StepInput(onTensors.get(s), prompt)), ForwardOptions.DEFAULT)
                        .lastLogits(0);
                assertThat(maxAbsDifference(a, b)).isLessThan(HostDecodeParityTest.PATH_TOLERANCE);
                next[s] = argmax(b);
            }
        }

        /** One decode step of all sequences, sequence 0 adding {@code token}; the host path's logits per sequence. */
        float[][] step(int token) {
            next[0] = token;
            List<StepInput> hostInputs = new ArrayList<>();
            List<StepInput> tensorInputs = new ArrayList<>();
            for (int s = 0; s < onHost.size(); s++) {
                hostInputs.add(new StepInput(onHost.get(s), new int[] {next[s]}));
                tensorInputs.add(new StepInput(onTensors.get(s), new int[] {next[s]}));
            }
            StepResult a = host.forward(hostInputs, ForwardOptions.DEFAULT);
            StepResult b = tensors.forward(tensorInputs, ForwardOptions.DEFAULT);
            float[][] logits = new float[onHost.size()][];
            for (int s = 0; s < onHost.size(); s++) {
                logits[s] = a.lastLogits(s);
                assertThat(maxAbsDifference(logits[s], b.lastLogits(s))).as("step %d, sequence %d", steps, s)
                        .isLessThan(HostDecodeParityTest.PATH_TOLERANCE);
                for (int l = 0; l < a.inputStats().get(s).size(); l++) {
                    LayerRoutingStats x = a.inputStats().get(s).get(l);
                    LayerRoutingStats y = b.inputStats().get(s).get(l);
                    assertThat(x.firstChoice()).as("step %d, sequence %d, layer %d", steps, s, l)
                            .containsExactly(y.firstChoice());
                    assertThat(x.anyChoice()).as("step %d, sequence %d, layer %d", steps, s, l)
                            .containsExactly(y.anyChoice());
                }
                next[s] = argmax(b.lastLogits(s));
            }
            lastHostStats = a.inputStats();
            steps++;
            return logits;
        }

        void close() {
            onHost.forEach(SequenceState::close);
            onTensors.forEach(SequenceState::close);
        }
    }
}
