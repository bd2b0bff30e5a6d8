package dev.switchboard.runtime.model;

/**
 * One Mixtral decoder layer (HF {@code MixtralDecoderLayer}):
 * {@code x += attention(norm₁(x)); x += moe(norm₂(x))}. The layer's experts live in the
 * {@link ExpertTable}, not here, so they can be swapped while the model runs.
 */
record DecoderLayer(RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm, MoeLayer moe) {}
