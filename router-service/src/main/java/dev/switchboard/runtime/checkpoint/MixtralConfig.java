package dev.switchboard.runtime.checkpoint;

import java.nio.file.Path;
import java.util.Set;

/**
 * The model hyper-parameters of a Hugging Face {@code config.json} of any supported {@link ModelFamily} (the name is
 * Mixtral's, the first family; {@link #features()} holds what the others add). Built by {@link #fromJson(Path)};
 * validated in the compact constructor with messages that say what to fix, so an instance always describes a model
 * this runtime can run.
 *
 * @param intermediateSize {@code intermediate_size}: the experts' inner width for Mixtral and OLMoE, the dense
 *     layers' for the Qwen families (their experts use {@link FamilyFeatures#expertIntermediateSize()})
 * @param headDim {@code head_dim} if present, else hiddenSize / numAttentionHeads
 * @param normTopkProb renormalise the k routing weights (Mixtral: true; Qwen-MoE/OLMoE: false)
 * @param routing switchboard extension {@code switchboard_routing}: {@code topk} (default),
 *     {@code switch} (top-1 with capacity), {@code expert-choice}
 * @param capacityFactor for {@code switch} and {@code expert-choice} routing (default 1.25)
 * @param expertKind switchboard extension {@code switchboard_expert_kind}, default {@code swiglu}
 */
public record MixtralConfig(
        String modelType,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        int numLocalExperts,
        int numExpertsPerTok,
        double rmsNormEps,
        double ropeTheta,
        int maxPositionEmbeddings,
        int vocabSize,
        boolean tieWordEmbeddings,
        int bosTokenId,
        int eosTokenId,
        boolean normTopkProb,
        String routing,
        double capacityFactor,
        String expertKind,
        FamilyFeatures features) {

    /** Mixtral's {@code model_type}. */
    public static final String MIXTRAL = "mixtral";

    /** Values accepted for {@code switchboard_routing}. */
    public static final Set<String> ROUTINGS = Set.of("topk", "switch", "expert-choice");

    /** A Mixtral config ({@link FamilyFeatures#mixtral}). */
    public MixtralConfig(String modelType, int hiddenSize, int intermediateSize, int numHiddenLayers,
            int numAttentionHeads, int numKeyValueHeads, int headDim, int numLocalExperts, int numExpertsPerTok,
            double rmsNormEps, double ropeTheta, int maxPositionEmbeddings, int vocabSize, boolean tieWordEmbeddings,
            int bosTokenId, int eosTokenId, boolean normTopkProb, String routing, double capacityFactor,
            String expertKind) {
        this(modelType, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads, headDim,
                numLocalExperts, numExpertsPerTok, rmsNormEps, ropeTheta, maxPositionEmbeddings, vocabSize,
                tieWordEmbeddings, bosTokenId, eosTokenId, normTopkProb, routing, capacityFactor, expertKind,
                FamilyFeatures.mixtral(Math.max(1, intermediateSize)));
    }

    public MixtralConfig {
        ModelFamily family = ModelFamily.forModelType(modelType);
        if (features.family() != family) {
            throw new IllegalArgumentException("model_type \"" + modelType + "\" does not match the "
                    + features.family().modelType() + " features read for it");
        }
        for (int layer : features.mlpOnlyLayers()) {
            if (layer < 0 || layer >= numHiddenLayers) {
                throw new IllegalArgumentException("mlp_only_layers names layer " + layer
                        + ", which is not in [0, num_hidden_layers=" + numHiddenLayers + ")");
            }
        }
        requirePositive("hidden_size", hiddenSize);
        requirePositive("intermediate_size", intermediateSize);
        requirePositive("num_hidden_layers", numHiddenLayers);
        requirePositive("num_attention_heads", numAttentionHeads);
        requirePositive("num_key_value_heads", numKeyValueHeads);
        requirePositive("head_dim", headDim);
        requirePositive("num_local_experts", numLocalExperts);
        requirePositive("num_experts_per_tok", numExpertsPerTok);
        requirePositive("max_position_embeddings", maxPositionEmbeddings);
        requirePositive("vocab_size", vocabSize);
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numAttentionHeads
                    + ") must be a multiple of num_key_value_heads (" + numKeyValueHeads
                    + "): each key/value head serves a whole group of query heads");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for rotary embeddings, was " + headDim);
        }
        if (numExpertsPerTok > numLocalExperts) {
            throw new IllegalArgumentException("num_experts_per_tok (" + numExpertsPerTok
                    + ") must be <= num_local_experts (" + numLocalExperts + ")");
        }
        if (!(rmsNormEps > 0) || !Double.isFinite(rmsNormEps)) {
            throw new IllegalArgumentException("rms_norm_eps must be a positive finite number, was " + rmsNormEps);
        }
        if (!(ropeTheta > 0) || !Double.isFinite(ropeTheta)) {
            throw new IllegalArgumentException("rope_theta must be a positive finite number, was " + ropeTheta);
        }
        requireTokenId("bos_token_id", bosTokenId, vocabSize);
        requireTokenId("eos_token_id", eosTokenId, vocabSize);
        if (!ROUTINGS.contains(routing)) {
            throw new IllegalArgumentException("switchboard_routing \"" + routing
                    + "\" is not supported: use one of topk, switch, expert-choice");
        }
        if (!(capacityFactor > 0) || !Double.isFinite(capacityFactor)) {
            throw new IllegalArgumentException(
                    "switchboard_capacity_factor must be a positive finite number, was " + capacityFactor);
        }
        if (expertKind == null || expertKind.isBlank()) {
            throw new IllegalArgumentException(
                    "switchboard_expert_kind must name an expert plugin kind (default \"swiglu\"), was empty");
        }
    }

    /**
     * Reads and validates a Hugging Face {@code config.json}.
     *
     * @throws CheckpointException naming the file and the field when it is unreadable, malformed or invalid
     */
    public static MixtralConfig fromJson(Path configJson) {
        return MixtralConfigJson.read(configJson);
    }

    /** The family {@code model_type} selects. */
    public ModelFamily family() {
        return features.family();
    }

    /** The routed experts' inner width (what the expert SPI calls {@code dFf} for them). */
    public int expertIntermediateSize() {
        return features.expertIntermediateSize();
    }

    /** Whether layer {@code layer} routes to experts; a dense layer runs one MLP of {@code intermediate_size}. */
    public boolean isSparse(int layer) {
        return features.isSparse(layer);
    }

    /** Width of all query heads together: {@code numAttentionHeads * headDim}. */
    public int queryDim() {
        return numAttentionHeads * headDim;
    }

    /** Width of all key (or value) heads together: {@code numKeyValueHeads * headDim}. */
    public int keyValueDim() {
        return numKeyValueHeads * headDim;
    }

    /** Query heads sharing one key/value head (1 for multi-head attention). */
    public int queriesPerKeyValueHead() {
        return numAttentionHeads / numKeyValueHeads;
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
    }

    private static void requireTokenId(String field, int id, int vocabSize) {
        if (id < 0 || id >= vocabSize) {
            throw new IllegalArgumentException(
                    field + " (" + id + ") must be a token id in [0, vocab_size=" + vocabSize + ")");
        }
    }
}
