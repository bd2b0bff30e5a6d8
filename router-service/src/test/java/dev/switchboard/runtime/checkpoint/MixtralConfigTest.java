package dev.switchboard.runtime.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json mapping, defaults and validation messages. */
class MixtralConfigTest {

    @TempDir
    Path tmp;

    @Test
    void readsTheTinyFixture() {
        MixtralConfig config = MixtralConfig.fromJson(Fixtures.dir(Fixtures.TINY_F32).resolve("config.json"));
        assertThat(config).isEqualTo(new MixtralConfig("mixtral", 64, 128, 2, 4, 2, 16, 4, 2, 1e-5, 1e6, 4096, 512,
                false, 1, 2, true, "topk", 1.25, "swiglu"));
        assertThat(config.queryDim()).isEqualTo(64);
        assertThat(config.keyValueDim()).isEqualTo(32);
        assertThat(config.queriesPerKeyValueHead()).isEqualTo(2);
    }

    @Test
    void readsTheOtherFixtures() {
        MixtralConfig mha = MixtralConfig.fromJson(Fixtures.dir(Fixtures.MHA_TOP1).resolve("config.json"));
        assertThat(mha.numKeyValueHeads()).isEqualTo(mha.numAttentionHeads()).isEqualTo(4);
        assertThat(mha.numExpertsPerTok()).isEqualTo(1);
        assertThat(mha.vocabSize()).isEqualTo(301);
        MixtralConfig gqa6 = MixtralConfig.fromJson(Fixtures.dir(Fixtures.GQA6_TOP2).resolve("config.json"));
        assertThat(gqa6.headDim()).isEqualTo(8);
        assertThat(gqa6.numLocalExperts()).isEqualTo(6);
    }

    @Test
    void headDimDefaultsToHiddenOverHeadsAndSwitchboardExtensionsAreRead() throws IOException {
        MixtralConfig config = MixtralConfig.fromJson(write(json -> {
            json.remove("head_dim");
            json.addProperty("norm_topk_prob", false);
            json.addProperty("switchboard_routing", "expert-choice");
            json.addProperty("switchboard_capacity_factor", 2.0);
            json.addProperty("switchboard_expert_kind", "relu");
            json.addProperty("tie_word_embeddings", true);
        }));
        assertThat(config.headDim()).isEqualTo(16);
        assertThat(config.normTopkProb()).isFalse();
        assertThat(config.routing()).isEqualTo("expert-choice");
        assertThat(config.capacityFactor()).isEqualTo(2.0);
        assertThat(config.expertKind()).isEqualTo("relu");
        assertThat(config.tieWordEmbeddings()).isTrue();
    }

    @Test
    void unknownModelTypeIsNamedAndTheSupportedFamiliesAreListed() {
        assertThatThrownBy(() -> MixtralConfig.fromJson(write(json -> json.addProperty("model_type", "llama"))))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("config.json")
                .hasMessageContaining("model_type \"llama\" is not supported: use one of mixtral, qwen2_moe, qwen3_moe, olmoe");
    }

    @Test
    void validationMessagesSayWhatToFix() {
        assertThatThrownBy(() -> MixtralConfig.fromJson(write(json -> json.addProperty("num_key_value_heads", 3))))
                .hasMessageContaining("num_attention_heads (4) must be a multiple of num_key_value_heads (3)");
        assertThatThrownBy(() -> MixtralConfig.fromJson(write(json -> json.addProperty("num_experts_per_tok", 5))))
                .hasMessageContaining("num_experts_per_tok (5) must be <= num_local_experts (4)");
        assertThatThrownBy(() -> MixtralConfig.fromJson(write(json -> json.addProperty("hidden_size", 0))))
                .hasMessageContaining("hidden_size must be positive, was 0");
        assertThatThrownBy(() -> MixtralConfig.fromJson(write(json -> json.addProperty("eos_token_id", 512))))
                .hasMessageContaining("eos_token_id (512) must be a token id in [0, vocab_size=512)");
        assertThatThrownBy(() -> MixtralConfig.fromJson(write(json -> json.addProperty("switchboard_routing", "hash"))))
                .hasMessageContaining("switchboard_routing \"hash\" is not supported: use one of topk, switch, expert-choice");
        assertThatThrownBy(() -> MixtralConfig.fromJson(write(json -> json.addProperty("head_dim", 15))))
                .hasMessageContaining("head_dim must be even");
        assertThatThrownBy(() -> MixtralConfig.fromJson(write(json -> {
            json.remove("head_dim");
            json.addProperty("hidden_size", 66);
        }))).hasMessageContaining("hidden_size (66) is not divisible by num_attention_heads (4); set head_dim");
    }

    @Test
    void missingOrMistypedFieldsAreNamed() {
        assertThatThrownBy(() -> MixtralConfig.fromJson(write(json -> json.remove("vocab_size"))))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("missing required field \"vocab_size\"");
        assertThatThrownBy(() -> MixtralConfig.fromJson(write(json -> json.addProperty("num_hidden_layers", 2.5))))
                .hasMessageContaining("field \"num_hidden_layers\" must be an integer, found 2.5");
        assertThatThrownBy(() -> MixtralConfig.fromJson(write(json -> json.addProperty("rms_norm_eps", "small"))))
                .hasMessageContaining("field \"rms_norm_eps\" must be a number, found \"small\"");
    }

    @Test
    void malformedJsonNamesTheFile() throws IOException {
        Path file = tmp.resolve("config.json");
        Files.writeString(file, "{\"model_type\": \"mixtral\",");
        assertThatThrownBy(() -> MixtralConfig.fromJson(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining("malformed JSON");
    }

    @Test
    void compactConstructorValidatesDirectConstruction() {
        assertThatThrownBy(() -> new MixtralConfig("mixtral", 64, 128, 2, 4, 2, 16, 4, 2, 0.0, 1e6, 4096, 512,
                false, 1, 2, true, "topk", 1.25, "swiglu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rms_norm_eps must be a positive finite number, was 0.0");
    }

    private Path write(Consumer<JsonObject> edit) throws IOException {
        JsonObject json = JsonParser.parseString(
                Files.readString(Fixtures.dir(Fixtures.TINY_F32).resolve("config.json"))).getAsJsonObject();
        edit.accept(json);
        Path file = tmp.resolve("config.json");
        Files.writeString(file, json.toString());
        return file;
    }
}
