package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Batch-1 decode on the host: a step of one sequence with one new token runs every decoder layer's arithmetic in Java
 * ({@link DecoderLayer#decodeOnHost}) over the model's own tensors, read and written in place, so that a step makes a
 * handful of native calls per layer (the experts' input and outputs) instead of about seventy. Same layers, same
 * weights, same routing and statistics as {@link ModelWeights#hidden}; chosen by the rule {@link Projection} uses for
 * its kernel (CPU, float32, the Vector API present, not training). A layer without a host form (a weight that is not
 * readable in place) runs {@link DecoderLayer#forward} within the same step. docs/PERFORMANCE.md has the numbers.
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

    /** Whether {@code batch} is what this path runs: one sequence, one new token. */
    static boolean takes(StepBatch batch) {
        return batch.size() == 1 && batch.count(0) == 1;
    }

    /** Number of layers that run in Java (the rest run {@link DecoderLayer#forward} in the same step). */
    int layersOnHost() {
        int count = 0;
        for (boolean onHost : layerOnHost) {
            count += onHost ? 1 : 0;
        }
        return count;
    }

    /** The step's vocabulary logits {@code (vocab)} for a batch it {@link #takes}; routing goes to {@code layers}. */
    float[] logits(StepBatch batch, NDManager step, LayerStep layers) {
        int position = batch.start(0);
        SequenceState sequence = batch.sequence(0);
        int[] rows = new int[position + 1];
        for (int p = 0; p <= position; p++) {
            rows[p] = Math.toIntExact(sequence.row(p));
        }
        RotaryEmbedding rope = weights.rope();
        HostDecodeStep attention = new HostDecodeStep(position, rows, rope, rope.hostTables(batch.positions()[0]), cache);
        float[] x = new float[hidden];
        embed.asFloatBuffer().get(batch.tokenIds()[0] * hidden, x);
        AttentionStep tensorStep = null; // made once, if some layer needs the tensor path
        for (int l = 0; l < layerOnHost.length; l++) {
            DecoderLayer layer = weights.layers().get(l);
            if (layerOnHost[l]) {
                x = layer.decodeOnHost(x, attention, layers, step);
            } else {
                if (tensorStep == null) {
                    NDArray[] tables = rope.tables(step, batch.positions(), DataType.FLOAT32);
                    tensorStep = new AttentionStep(batch, rope, tables, new PagedKeyValues(cache, batch, step));
                }
                x = layer.forward(step.create(x, new Shape(1, hidden)), tensorStep, layers).toFloatArray();
            }
        }
        return weights.lmHead().applyOnHost(weights.finalNorm().applyOnHost(x));
    }
}
