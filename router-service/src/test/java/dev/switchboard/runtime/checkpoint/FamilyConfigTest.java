package dev.switchboard.runtime.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each family's config fields and Hugging Face defaults, and the one-line refusals of what the runtime does not run. */
class FamilyConfigTest {

    @TempDir
    Path tmp;

    @Test
    void qwen2MoeReadsItsSizesBiasesSharedExpertAndDenseLayers() {
        MixtralConfig config = MixtralConfig.fromJson(Fixtures.dir("qwen2-moe-dense-bf16").resolve("config.json"));
        assertThat(config.family()).isEqualTo(ModelFamily.QWEN2_MOE);
        FamilyFeatures features = config.features();
        assertThat(features.qkvBias()).isTrue();
        assertThat(features.outputBias()).isFalse();
        assertThat(features.qkNorm()).isEqualTo(QkNorm.NONE);
        assertThat(config.intermediateSize()).isEqualTo(64);
        assertThat(config.expertIntermediateSize()).isEqualTo(40);
        assertThat(features.sharedExpertIntermediateSize()).isEqualTo(56);
        assertThat(config.isSparse(0)).isFalse(); // decoder_sparse_step 2: layers 1, 3, ... are sparse
        assertThat(config.isSparse(1)).isTrue();
        assertThat(config.normTopkProb()).isFalse();
        assertThat(MixtralConfig.fromJson(Fixtures.dir("olmoe-bf16").resolve("config.json")).tieWordEmbeddings()).isTrue();
    }

    @Test
    void qwen3MoeAndOlmoeReadTheirNormsHeadDimAndClip() {
        MixtralConfig qwen3 = MixtralConfig.fromJson(Fixtures.dir("qwen3-moe-headdim").resolve("config.json"));
        assertThat(qwen3.features().qkNorm()).isEqualTo(QkNorm.PER_HEAD);
        assertThat(qwen3.headDim()).isEqualTo(16).isNotEqualTo(qwen3.hiddenSize() / qwen3.numAttentionHeads());
        assertThat(qwen3.features().mlpOnlyLayers()).containsExactly(1);
        assertThat(qwen3.features().outputBias()).isTrue();
        MixtralConfig olmoe = MixtralConfig.fromJson(Fixtures.dir("olmoe-clip").resolve("config.json"));
        assertThat(olmoe.features().qkNorm()).isEqualTo(QkNorm.WHOLE_PROJECTION);
        assertThat(olmoe.features().clipQkv()).hasValue(0.8);
        assertThat(olmoe.expertIntermediateSize()).isEqualTo(olmoe.intermediateSize());
        assertThat(olmoe.normTopkProb()).isTrue();
    }

    @Test
    void absentFieldsTakeEachFamilysHuggingFaceDefault() throws IOException {
        MixtralConfig qwen2 = MixtralConfig.fromJson(write("qwen2-moe-shared", json -> {
            for (String field : List.of("norm_topk_prob", "qkv_bias", "rms_norm_eps", "rope_theta", "decoder_sparse_step",
                    "mlp_only_layers", "tie_word_embeddings", "head_dim")) {
                json.remove(field);
            }
        }));
        assertThat(qwen2.normTopkProb()).isFalse();
        assertThat(qwen2.features().qkvBias()).isTrue();
        assertThat(qwen2.rmsNormEps()).isEqualTo(1e-6);
        assertThat(qwen2.ropeTheta()).isEqualTo(10000.0);
        assertThat(qwen2.headDim()).isEqualTo(8);
        MixtralConfig qwen3 = MixtralConfig.fromJson(write("qwen3-moe-headdim", json -> json.remove("norm_topk_prob")));
        assertThat(qwen3.normTopkProb()).as("Qwen3MoeConfig's default; released checkpoints write true").isFalse();
        MixtralConfig olmoe = MixtralConfig.fromJson(write("olmoe-clip", json -> {
            json.remove("rms_norm_eps");
            json.remove("clip_qkv");
            json.remove("attention_bias");
            json.remove("num_experts");
            json.addProperty("num_local_experts", 4); // OlmoeConfig.attribute_map
            json.add("bos_token_id", JsonNull.INSTANCE); // OLMoE's released config: its tokenizer adds no BOS
        }));
        assertThat(olmoe.rmsNormEps()).isEqualTo(1e-5);
        assertThat(olmoe.features().clipQkv()).isEmpty();
        assertThat(olmoe.features().qkvBias()).isFalse();
        assertThat(olmoe.numLocalExperts()).isEqualTo(4);
        assertThat(olmoe.bosTokenId()).as("a placeholder, unused without add_bos_token").isEqualTo(olmoe.eosTokenId());
        MixtralConfig mixtral = MixtralConfig.fromJson(write("tiny-gqa-top2", json -> json.remove("norm_topk_prob")));
        assertThat(mixtral.normTopkProb()).isTrue();
        assertThat(mixtral.features()).isEqualTo(FamilyFeatures.mixtral(128));
    }

    @Test
    void unsupportedOptionsAreRefusedInOneLineNamingTheField() {
        assertRefused("qwen2-moe-shared", json -> json.addProperty("use_sliding_window", true), "\"use_sliding_window\"");
        assertRefused("tiny-gqa-top2", json -> json.addProperty("sliding_window", 1024), "\"sliding_window\"");
        assertRefused("qwen3-moe-headdim", json -> {
            JsonObject scaling = new JsonObject();
            scaling.addProperty("rope_type", "yarn");
            scaling.addProperty("factor", 4.0);
            json.add("rope_scaling", scaling);
        }, "\"rope_scaling\"");
        assertRefused("olmoe-clip", json -> {
            JsonObject parameters = new JsonObject();
            parameters.addProperty("rope_type", "linear");
            json.add("rope_parameters", parameters);
        }, "\"rope_parameters\"");
        assertRefused("olmoe-clip", json -> json.addProperty("head_dim", 16), "\"head_dim\"");
        assertRefused("qwen2-moe-shared", json -> json.addProperty("clip_qkv", 1.0), "\"clip_qkv\"");
        assertRefused("qwen2-moe-shared", json -> json.addProperty("hidden_act", "gelu"), "\"hidden_act\"");
        assertRefused("qwen2-moe-shared", json -> json.remove("moe_intermediate_size"), "\"moe_intermediate_size\"");
        assertRefused("qwen3-moe-headdim", json -> json.add("mlp_only_layers", JsonParser.parseString("[5]")),
                "mlp_only_layers names layer 5");
        assertRefused("qwen3-moe-headdim", json -> json.addProperty("model_type", "deepseek_v3"),
                "model_type \"deepseek_v3\" is not supported: use one of mixtral, qwen2_moe, qwen3_moe, olmoe");
    }

    @Test
    void disabledOptionsAreAccepted() throws IOException {
        MixtralConfig qwen2 = MixtralConfig.fromJson(write("qwen2-moe-shared", json -> {
            json.addProperty("sliding_window", 32768); // read only when use_sliding_window is true
            json.add("rope_scaling", JsonNull.INSTANCE);
        }));
        assertThat(qwen2.family()).isEqualTo(ModelFamily.QWEN2_MOE);
        MixtralConfig mixtral = MixtralConfig.fromJson(write("tiny-gqa-top2",
                json -> json.addProperty("sliding_window", 4096))); // never reached within max_position_embeddings
        assertThat(mixtral.family()).isEqualTo(ModelFamily.MIXTRAL);
    }

    private void assertRefused(String fixture, Consumer<JsonObject> edit, String named) {
        assertThatThrownBy(() -> MixtralConfig.fromJson(write(fixture, edit)))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(named)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private Path write(String fixture, Consumer<JsonObject> edit) throws IOException {
        JsonObject json = JsonParser.parseString(Files.readString(Fixtures.dir(fixture).resolve("config.json")))
                .getAsJsonObject();
        edit.accept(json);
        Path file = tmp.resolve("config.json");
        Files.writeString(file, json.toString());
        return file;
    }
}
