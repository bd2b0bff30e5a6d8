package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Everything a forward step reads except the experts, all owned by the model's manager.
 *
 * @param embed token embeddings {@code (vocab, hidden)}
 * @param layers decoder layers
 * @param finalNorm the norm before the LM head
 * @param lmHead the LM head, pre-transposed: {@code (hidden, vocab)}
 * @param rope the rotary embedding shared by every layer
 */
record ModelWeights(NDArray embed, List<DecoderLayer> layers, RmsNorm finalNorm, NDArray lmHead, RotaryEmbedding rope) {}
