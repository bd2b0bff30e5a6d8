package dev.switchboard.runtime.checkpoint;

/**
 * The model hyper-parameters of a Hugging Face Mixtral-format {@code config.json}.
 * CONTRACT (filled in by the checkpoint work): built by {@code fromJson(Path)}, validated in the
 * compact constructor with messages that say what to fix.
 *
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
        String expertKind) {}
