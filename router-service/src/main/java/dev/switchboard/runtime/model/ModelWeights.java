package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;
import java.util.Map;

/**
 * The model's forward pass over a packed step (HF {@code MixtralForCausalLM}) and everything it reads except the
 * experts: serving and training run this one definition.
 *
 * @param embed token embeddings {@code (vocab, hidden)}
 * @param layers decoder layers
 * @param finalNorm the norm before the LM head
 * @param lmHead the LM head, transposed: {@code (hidden, vocab)}; the Java kernel at decode ({@link Projection})
 * @param rope the rotary embedding shared by every layer
 * @param sharedExperts by layer, the sparse layers' shared experts (Qwen2-MoE), which {@link #close()} closes; empty
 *     for the other families
 */
record ModelWeights(NDArray embed, List<DecoderLayer> layers, RmsNorm finalNorm, Projection lmHead, RotaryEmbedding rope,
        Map<Integer, SharedExpert> sharedExperts) implements AutoCloseable {

    /** The step's hidden states after the last layer, {@code (tokens, hidden)}; the routing goes to {@code step}. */
    NDArray hidden(NDManager manager, StepBatch batch, KeyValueStore store, LayerStep step) {
        NDArray ids = manager.create(toLongs(batch.tokenIds())); // (tokens)
        NDArray x = embed.get(manager, new NDIndex("{}", ids)); // (tokens, hidden)
        NDArray[] ropeTables = rope.tables(manager, batch.positions(), embed.getDataType()); // 2 × (tokens, 1, headDim)
        AttentionStep attention = new AttentionStep(batch, rope, ropeTables, store);
        for (DecoderLayer layer : layers) {
            x = layer.forward(x, attention, step); // (tokens, hidden)
        }
        return x;
    }

    /** {@code rows (n, hidden)} -> vocabulary logits {@code (n, vocab)}. */
    NDArray logits(NDArray rows) {
        return lmHead.apply(finalNorm.apply(rows)); // (n, vocab)
    }

    /** Closes the shared experts (the tensors belong to the manager that loaded them). */
    @Override
    public void close() {
        sharedExperts.values().forEach(SharedExpert::close);
    }

    private static long[] toLongs(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
