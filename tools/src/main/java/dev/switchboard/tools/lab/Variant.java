package dev.switchboard.tools.lab;

import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.routing.RoutingStrategies;

/**
 * One model of a training experiment: how it routes and how its router is regularised; everything else is the
 * experiment's shared {@link TrainingExperiment.Settings}.
 *
 * @param expertsPerToken k: experts per token (1 for Switch routing)
 * @param expertWidth each expert's inner width (d_ff)
 * @param routing {@code topk} or {@code switch} (top-1, capacity-limited dispatch)
 * @param capacityFactor Switch routing's capacity factor (unused by top-k)
 * @param balanceWeight weight of the load-balancing loss
 * @param zWeight weight of the router z-loss
 */
public record Variant(String name, int expertsPerToken, int expertWidth, String routing, double capacityFactor,
        float balanceWeight, float zWeight) {

    /** Top-k routing, Mixtral's (weights renormalised over the k chosen). */
    static Variant topK(String name, int k, int width, float balanceWeight, float zWeight) {
        return new Variant(name, k, width, RoutingStrategies.TOPK, 1.0, balanceWeight, zWeight);
    }

    /** Switch top-1 (weight p_j) with capacity factor {@code capacityFactor}. */
    static Variant switchTop1(String name, double capacityFactor, int width, float balanceWeight, float zWeight) {
        return new Variant(name, 1, width, RoutingStrategies.SWITCH, capacityFactor, balanceWeight, zWeight);
    }

    /** {@code base} (the scaled recipe's shape) routed and sized as this variant says. */
    MixtralConfig config(MixtralConfig base) {
        return new MixtralConfig(base.modelType(), base.hiddenSize(), expertWidth, base.numHiddenLayers(),
                base.numAttentionHeads(), base.numKeyValueHeads(), base.headDim(), base.numLocalExperts(), expertsPerToken,
                base.rmsNormEps(), base.ropeTheta(), base.maxPositionEmbeddings(), base.vocabSize(), base.tieWordEmbeddings(),
                base.bosTokenId(), base.eosTokenId(), base.normTopkProb(), routing, capacityFactor, base.expertKind());
    }

    /** Expert parameters each token runs through, over all layers: k experts of three hidden × width matrices. */
    long activeExpertParameters(int hidden, int layers) {
        return (long) layers * expertsPerToken * 3L * hidden * expertWidth;
    }
}
