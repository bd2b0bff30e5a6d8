package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.switchboard.runtime.routing.LayerRoutingStats;
import dev.switchboard.runtime.routing.RouterStatistics;
import dev.switchboard.runtime.routing.RoutingPhase;
import java.util.ArrayList;
import java.util.List;

/**
 * One batched step of the Mixtral forward pass (HF {@code MixtralForCausalLM}): every new token of
 * every input packed into one {@code (tokens, hidden)} tensor, so embeddings, norms, projections, the
 * router and the experts each run once per layer for the whole batch, and so does attention for the
 * decode inputs; only prefill inputs attend one by one. All temporaries live in a per-step manager
 * closed at the end.
 */
final class ForwardPass {

    private final ModelWeights weights;
    private final NDManager modelManager;
    private final KvBlockPool cache;
    private final int vocabSize;
    private final Projection lmHead; // (hidden, vocab); the Java kernel at batch-1 decode

    ForwardPass(ModelWeights weights, NDManager modelManager, KvBlockPool cache, int vocabSize) {
        this.weights = weights;
        this.modelManager = modelManager;
        this.cache = cache;
        this.vocabSize = vocabSize;
        this.lmHead = new Projection(weights.lmHead());
    }

    /** Sees each layer's MoE input (after the post-attention norm) during a step; calibration only. */
    interface MoeInputObserver {
        void observe(int layer, NDArray moeInput); // moeInput (tokens, hidden), valid during the call only
    }

    StepResult run(List<StepInput> inputs, ForwardOptions options, ExpertTable table, ExpertFaultHandler faults) {
        return run(inputs, options, table, faults, null);
    }

    StepResult run(List<StepInput> inputs, ForwardOptions options, ExpertTable table, ExpertFaultHandler faults,
            MoeInputObserver moeInputs) {
        StepBatch batch = StepBatch.of(inputs, vocabSize);
        for (int i = 0; i < batch.size(); i++) {
            batch.sequence(i).reserve(batch.start(i) + batch.count(i));
        }
        RoutingPhase phase = batch.phase();
        List<LayerRoutingStats> stats = new ArrayList<>(weights.layers().size());
        List<List<LayerRoutingStats>> inputStats = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            inputStats.add(new ArrayList<>(weights.layers().size()));
        }
        RoutingTraceBuilder trace = options.trace() ? new RoutingTraceBuilder(batch, options.fullDistribution()) : null;
        float[][][] logits;
        cache.stepLock().lock(); // after reserve(): growing the pool takes the exclusive side
        try (NDManager step = modelManager.newSubManager()) {
            CacheRows cacheRows = CacheRows.of(batch, step); // shared by every layer
            DataType type = weights.embed().getDataType();
            NDArray ids = step.create(toLongs(batch.tokenIds())); // (tokens)
            NDArray x = weights.embed().get(step, new NDIndex("{}", ids)); // (tokens, hidden)
            NDArray[] ropeTables = weights.rope().tables(step, batch.positions(), type); // 2 × (tokens, 1, headDim)
            for (int l = 0; l < weights.layers().size(); l++) {
                DecoderLayer layer = weights.layers().get(l);
                NDArray h = layer.inputNorm().apply(x); // (tokens, hidden)
                x = x.add(layer.attention().forward(h, batch, weights.rope(), ropeTables, cache, cacheRows, l)); // (tokens, hidden)
                h = layer.postAttentionNorm().apply(x); // (tokens, hidden)
                if (moeInputs != null) {
                    moeInputs.observe(l, h);
                }
                MoeOutput moe = layer.moe().forward(h, table.layer(l), phase, faults);
                x = x.addi(moe.output()); // (tokens, hidden)
                LayerRoutingStats stepStats = RouterStatistics.compute(l, moe.gateLogits(), moe.decision());
                stats.add(stepStats);
                for (int i = 0; i < batch.size(); i++) { // the same per input, so serving can attribute them per request
                    inputStats.get(i).add(batch.size() == 1 ? stepStats : RouterStatistics.compute(
                            l, moe.gateLogits(), moe.decision(), batch.offset(i), batch.offset(i) + batch.count(i)));
                }
                if (trace != null) {
                    trace.add(moe.decision());
                }
            }
            NDArray rows = options.allLogits() ? x : x.get(new NDIndex("{}", step.create(batch.lastRows()))); // (rows, hidden)
            NDArray out = lmHead.apply(weights.finalNorm().apply(rows)); // (rows, vocab)
            if (out.getDataType() != DataType.FLOAT32) {
                out = out.toType(DataType.FLOAT32, false);
            }
            logits = split(out.toFloatArray(), batch, options.allLogits());
        } finally {
            cache.stepLock().unlock();
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.sequence(i).advance(batch.count(i));
        }
        return new StepResult(logits, trace != null ? trace.build() : RoutingTraceBuilder.empty(batch), stats, inputStats);
    }

    /** Splits {@code (rows, vocab)} into per-input row groups. */
    private float[][][] split(float[] flat, StepBatch batch, boolean allPositions) {
        float[][][] perInput = new float[batch.size()][][];
        int row = 0;
        for (int i = 0; i < batch.size(); i++) {
            int rows = allPositions ? batch.count(i) : 1;
            perInput[i] = new float[rows][];
            for (int r = 0; r < rows; r++, row++) {
                perInput[i][r] = java.util.Arrays.copyOfRange(flat, row * vocabSize, (row + 1) * vocabSize);
            }
        }
        return perInput;
    }

    private static long[] toLongs(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
