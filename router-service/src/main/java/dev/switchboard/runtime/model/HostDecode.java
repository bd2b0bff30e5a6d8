package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Decode on the host: a step in which every sequence adds one new token (batch 1 is the step of one sequence) runs
 * every decoder layer's arithmetic in Java ({@link DecoderLayer#decodeOnHost}) over the model's own tensors, read and
 * written in place, so that a step makes a handful of native calls per layer (the experts' inputs and outputs)
 * instead of about seventy. Each projection reads its weights once for all the step's tokens, each chosen expert runs
 * once on all of its tokens. Same layers, same weights, same routing and statistics as {@link ModelWeights#hidden};
 * chosen by the rule {@link Projection} uses for its kernel (CPU, float32, the Vector API present, not training). A
 * layer without a host form (a weight that is not readable in place) runs {@link DecoderLayer#forward} within the
 * same step. docs/PERFORMANCE.md has the numbers.
 */
final class HostDecode {

    private final ModelWeights weights;
    private final KvBlockPool cache;
    private final ByteBuffer embed; // (vocab, hidden)
    private final int hidden;
    private final boolean[] layerOnHost;

    private HostDecode(ModelWeights weights, KvBlockPool cache) {
        this.weights = weights;
        this.cache = cache;
        this.embed = HostMemory.view(weights.embed());
        this.hidden = Math.toIntExact(weights.embed().getShape().get(1));
        List<DecoderLayer> layers = weights.layers();
        this.layerOnHost = new boolean[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            layerOnHost[l] = layers.get(l).onHost();
        }
    }

    /** The host path for this model, or null when its embedding, final norm or LM head cannot be read in place. */
    static HostDecode of(ModelWeights weights, KvBlockPool cache) {
        boolean ends = HostMemory.viewable(weights.embed()) && weights.finalNorm().onHost() && weights.lmHead().onHost();
        return ends ? new HostDecode(weights, cache) : null;
    }

    /** Whether {@code batch} is what this path runs: one new token for every sequence (a decode step). */
    static boolean takes(StepBatch batch) {
        return batch.tokens() == batch.size();
    }

    /** Number of layers that run in Java (the rest run {@link DecoderLayer#forward} in the same step). */
    int layersOnHost() {
        int count = 0;
        for (boolean onHost : layerOnHost) {
            count += onHost ? 1 : 0;
        }
        return count;
    }

    /** Per sequence, the step's logits {@code (vocab)} for a batch it {@link #takes}; the routing goes to {@code layers}. */
    float[][] logits(StepBatch batch, NDManager step, LayerStep layers) {
        int n = batch.size();
        int[] positions = new int[n];
        int[][] rows = new int[n][];
        float[][][] tables = new float[n][][];
        RotaryEmbedding rope = weights.rope();
        for (int s = 0; s < n; s++) {
            positions[s] = batch.start(s);
            SequenceState sequence = batch.sequence(s);
            rows[s] = new int[positions[s] + 1];
            for (int p = 0; p <= positions[s]; p++) {
                rows[s][p] = Math.toIntExact(sequence.row(p));
            }
            tables[s] = rope.hostTables(positions[s]);
        }
        HostDecodeStep attention = new HostDecodeStep(positions, rows, rope, tables, cache);
        float[] x = new float[n * hidden]; // (n, hidden)
        for (int s = 0; s < n; s++) {
            embed.asFloatBuffer().get(batch.tokenIds()[s] * hidden, x, s * hidden, hidden);
        }
        AttentionStep tensorStep = null; // made once, if some layer needs the tensor path
        for (int l = 0; l < layerOnHost.length; l++) {
            DecoderLayer layer = weights.layers().get(l);
            if (layerOnHost[l]) {
                x = layer.decodeOnHost(x, attention, layers, step);
            } else {
                if (tensorStep == null) {
                    NDArray[] ropeTables = rope.tables(step, batch.positions(), DataType.FLOAT32);
                    tensorStep = new AttentionStep(batch, rope, ropeTables, new PagedKeyValues(cache, batch, step));
                }
                x = layer.forward(step.create(x, new Shape(n, hidden)), tensorStep, layers).toFloatArray();
            }
        }
        float[] flat = weights.lmHead().applyOnHost(weights.finalNorm().applyOnHost(x, n), n); // (n, vocab)
        int vocab = flat.length / n;
        float[][] logits = new float[n][];
        for (int s = 0; s < n; s++) {
            logits[s] = java.util.Arrays.copyOfRange(flat, s * vocab, (s + 1) * vocab);
        }
        return logits;
    }
}
