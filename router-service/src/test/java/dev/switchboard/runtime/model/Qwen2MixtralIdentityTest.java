package dev.switchboard.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.ModelFamily;
import dev.switchboard.runtime.checkpoint.SafetensorsWriter;
import dev.switchboard.runtime.checkpoint.TensorDtype;
import dev.switchboard.runtime.checkpoint.TensorLayout;
import dev.switchboard.runtime.fixtures.ReferenceFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Qwen2-MoE checkpoint whose extra parts are neutral — zero q/k/v biases, a shared expert with zero weights (its
 * sigmoid gate is not zero: {@code sigmoid(g)·0 = 0}), {@code norm_topk_prob} true — is the Mixtral checkpoint it was
 * copied from, under other names: the same logits at every position, bit for bit. Changing one bias must change them,
 * so the Qwen-only paths run.
 */
class Qwen2MixtralIdentityTest {

    @TempDir
    Path tmp;

    @Test
    void neutralQwen2MoeEqualsTheSameMixtralBitForBit() throws IOException {
        ReferenceFixture mixtral = ReferenceFixture.named(ReferenceFixture.TINY_F32);
        Path qwen = copyAsQwen2Moe(mixtral.dir(), tmp.resolve("neutral"), 0f);
        float[][] expected = allLogits(mixtral.dir(), mixtral.promptIds());
        float[][] actual = allLogits(qwen, mixtral.promptIds());
        for (int position = 0; position < expected.length; position++) {
            assertThat(actual[position]).as("position %d", position).containsExactly(expected[position]);
        }
        try (Checkpoint checkpoint = Checkpoint.open(qwen); MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults())) {
            assertThat(ModelAssertions.greedy(model, mixtral.promptIds(), 16)).containsExactly(mixtral.generatedIds());
        }

        Path biased = copyAsQwen2Moe(mixtral.dir(), tmp.resolve("biased"), 0.25f);
        float[][] moved = allLogits(biased, mixtral.promptIds());
        assertThat(ModelAssertions.maxAbsDifference(moved[moved.length - 1], expected[expected.length - 1]))
                .isGreaterThan(1e-3f);
    }

    private static float[][] allLogits(Path dir, int[] prompt) {
        try (Checkpoint checkpoint = Checkpoint.open(dir); MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults());
                SequenceState sequence = model.newSequence()) {
            return model.forward(List.of(new StepInput(sequence, prompt)), new ForwardOptions(false, false, true))
                    .logits()[0];
        }
    }

    /** The Mixtral checkpoint's tensors under Qwen2-MoE names, plus biases of {@code bias} and a zero shared expert. */
    private static Path copyAsQwen2Moe(Path mixtral, Path out, float bias) throws IOException {
        Files.createDirectories(out);
        JsonObject config = JsonParser.parseString(Files.readString(mixtral.resolve("config.json"))).getAsJsonObject();
        int hidden = config.get("hidden_size").getAsInt();
        int inner = config.get("intermediate_size").getAsInt();
        int shared = 24;
        config.addProperty("model_type", "qwen2_moe");
        config.add("num_experts", config.remove("num_local_experts"));
        config.addProperty("moe_intermediate_size", inner);
        config.addProperty("shared_expert_intermediate_size", shared);
        config.addProperty("norm_topk_prob", true);
        config.addProperty("qkv_bias", true);
        Files.writeString(out.resolve("config.json"), config.toString());
        for (String file : List.of("tokenizer.json", "tokenizer_config.json", "generation_config.json")) {
            Files.copy(mixtral.resolve(file), out.resolve(file));
        }
        SafetensorsWriter writer = new SafetensorsWriter(TensorDtype.F32);
        try (Checkpoint source = Checkpoint.open(mixtral); NDManager manager = NDManager.newBaseManager()) {
            for (String name : source.tensorNames()) {
                float[] values = source.load(name, manager, DataType.FLOAT32).toFloatArray();
                writer.add(qwenName(name), source.tensor(name).shape(), values);
            }
            ModelFamily family = ModelFamily.QWEN2_MOE;
            for (int l = 0; l < config.get("num_hidden_layers").getAsInt(); l++) {
                for (String projection : List.of("q_proj", "k_proj", "v_proj")) {
                    long width = source.tensor(TensorLayout.attention(l, projection + ".weight")).shape()[0];
                    writer.add(TensorLayout.attention(l, projection + ".bias"), new long[] {width}, filled((int) width, bias));
                }
                String prefix = TensorLayout.sharedExpert(family, l);
                writer.add(prefix + "gate_proj.weight", new long[] {shared, hidden}, new float[shared * hidden]);
                writer.add(prefix + "up_proj.weight", new long[] {shared, hidden}, new float[shared * hidden]);
                writer.add(prefix + "down_proj.weight", new long[] {hidden, shared}, new float[hidden * shared]);
                writer.add(TensorLayout.sharedExpertGate(family, l), new long[] {1, hidden}, filled(hidden, 0.3f));
            }
        }
        writer.write(out.resolve("model.safetensors"));
        return out;
    }

    private static String qwenName(String mixtralName) {
        return mixtralName.replace(".block_sparse_moe.", ".mlp.").replace(".w1.weight", ".gate_proj.weight")
                .replace(".w3.weight", ".up_proj.weight").replace(".w2.weight", ".down_proj.weight");
    }

    private static float[] filled(int n, float value) {
        float[] out = new float[n];
        Arrays.fill(out, value);
        return out;
    }
}
