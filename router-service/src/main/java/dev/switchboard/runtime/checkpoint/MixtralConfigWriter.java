package dev.switchboard.runtime.checkpoint;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a {@link MixtralConfig} as a Hugging Face {@code config.json} that transformers and this runtime both read. */
public final class MixtralConfigWriter {

    private MixtralConfigWriter() {}

    /** @param storedDtype the {@code torch_dtype} the weights are stored in ("float32" or "bfloat16") */
    public static void write(MixtralConfig config, String storedDtype, Path file) {
        if (config.family() != ModelFamily.MIXTRAL) {
            throw new IllegalArgumentException("only Mixtral configs are written (training and make-checkpoint make "
                    + "Mixtral models), not model_type " + config.modelType());
        }
        JsonObject json = new JsonObject();
        JsonArray architectures = new JsonArray();
        architectures.add("MixtralForCausalLM");
        json.add("architectures", architectures);
        json.addProperty("model_type", config.modelType());
        json.addProperty("hidden_size", config.hiddenSize());
        json.addProperty("intermediate_size", config.intermediateSize());
        json.addProperty("num_hidden_layers", config.numHiddenLayers());
        json.addProperty("num_attention_heads", config.numAttentionHeads());
        json.addProperty("num_key_value_heads", config.numKeyValueHeads());
        json.addProperty("head_dim", config.headDim());
        json.addProperty("num_local_experts", config.numLocalExperts());
        json.addProperty("num_experts_per_tok", config.numExpertsPerTok());
        json.addProperty("norm_topk_prob", config.normTopkProb());
        json.addProperty("hidden_act", "silu");
        json.addProperty("rms_norm_eps", config.rmsNormEps());
        json.addProperty("rope_theta", config.ropeTheta());
        json.addProperty("max_position_embeddings", config.maxPositionEmbeddings());
        json.addProperty("vocab_size", config.vocabSize());
        json.addProperty("tie_word_embeddings", config.tieWordEmbeddings());
        json.addProperty("bos_token_id", config.bosTokenId());
        json.addProperty("eos_token_id", config.eosTokenId());
        json.addProperty("torch_dtype", storedDtype);
        json.addProperty("switchboard_routing", config.routing());
        json.addProperty("switchboard_capacity_factor", config.capacityFactor());
        json.addProperty("switchboard_expert_kind", config.expertKind());
        try {
            Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write config.json", e);
        }
    }
}
