package dev.switchboard.tools.bench;

import dev.switchboard.runtime.checkpoint.MixtralConfig;

/**
 * Weights one decode token must read: every attention projection, the router, k of the N experts,
 * the norms and the LM head (the embedding is one row). Decode at batch 1 cannot beat
 * {@code bandwidth / activeBytes} tokens per second.
 */
record ActiveWeights(long parameters, long bytes) {

    static ActiveWeights of(MixtralConfig c, int bytesPerParameter) {
        long hidden = c.hiddenSize();
        long attention = hidden * c.queryDim() * 2L + hidden * c.keyValueDim() * 2L; // q, o and k, v
        long router = hidden * c.numLocalExperts();
        long experts = (long) c.numExpertsPerTok() * 3L * hidden * c.intermediateSize(); // w1, w2, w3 of k experts
        long norms = 2L * hidden;
        long perLayer = attention + router + experts + norms;
        long parameters = perLayer * c.numHiddenLayers() + hidden /* final norm */ + (long) c.vocabSize() * hidden /* lm_head */ + hidden;
        return new ActiveWeights(parameters, parameters * bytesPerParameter);
    }
}
