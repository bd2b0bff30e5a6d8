package dev.switchboard.runtime.model;

import dev.switchboard.runtime.routing.TokenTrace;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.switchboard.runtime.routing.LayerRoutingStats;
import dev.switchboard.runtime.routing.RouterStatistics;
import java.util.ArrayList;
import java.util.List;

/**
 * One batched serving step: every new token of every input packed into one {@code (tokens, hidden)} tensor and
 * run through {@link ModelWeights#hidden} against the paged KV cache, so embeddings, norms, projections, the
 * router and the experts each run once per layer for the whole batch. Afterwards, from the layers' routing
 * decisions: the logits asked for, each input's routing statistics and, if asked, the routing trace. All
 * temporaries live in a per-step manager closed at the end.
 */
final class ForwardPass {

    private final ModelWeights weights;
    private final NDManager modelManager;
    private final KvBlockPool cache;
    private final int vocabSize;
    private final HostCopy hostCopy;
    private final HostDecode hostDecode; // decode steps in Java; null when off, routing on the device, or tensors elsewhere
    private final boolean deviceRouting;

    /**
     * @param hostDecode whether a step of one new token per sequence may run on the {@link HostDecode} path
     * @param deviceRouting whether the tensor path routes top-k on the device ({@link DeviceTopK}, ADR 0008); it turns
     *     the host path off, as a step that runs on the host has no device to route on
     */
    ForwardPass(ModelWeights weights, NDManager modelManager, KvBlockPool cache, int vocabSize, HostCopy hostCopy,
            boolean hostDecode, boolean deviceRouting) {
        this.hostCopy = hostCopy;
        this.deviceRouting = deviceRouting;
        this.hostDecode = hostDecode && !deviceRouting ? HostDecode.of(weights, cache) : null;
        this.weights = weights;
        this.modelManager = modelManager;
        this.cache = cache;
        this.vocabSize = vocabSize;
    }

    /** Sees each layer's MoE input (after the post-attention norm) after a step; calibration only. */
    interface MoeInputObserver {
        void observe(int layer, NDArray moeInput); // moeInput (tokens, hidden), valid during the call only
    }

    StepResult run(List<StepInput> inputs, ForwardOptions options, ExpertTable table, ExpertFaultHandler faults) {
        return run(inputs, options, table, faults, (layer, moeInput) -> {});
    }

    StepResult run(List<StepInput> inputs, ForwardOptions options, ExpertTable table, ExpertFaultHandler faults,
            MoeInputObserver moeInputs) {
        StepBatch batch = StepBatch.of(inputs, vocabSize);
        for (int i = 0; i < batch.size(); i++) {
            batch.sequence(i).reserve(batch.start(i) + batch.count(i));
        }
        // A trace with the full distribution needs every row on the host; so do what-if overrides (MoeLayer checks).
        SequenceRows deviceRows = deviceRouting && !options.fullDistribution() ? new SequenceRows(batch) : null;
        LayerStep layers = new LayerStep(table, batch.phase(), faults,
                SequenceOverrides.of(batch), deviceRows); // what-if routing of single sequences
        float[][][] logits;
        DeviceRoutingSums sums = null;
        cache.stepLock().lock(); // after reserve(): growing the pool takes the exclusive side
        try (NDManager step = modelManager.newSubManager()) {
            if (hostDecode != null && HostDecode.takes(batch)) {
                // Computed on the host from tensors in host memory: nothing crosses HostCopy (ADR 0007).
                float[][] perSequence = hostDecode.logits(batch, step, layers);
                logits = new float[perSequence.length][][];
                for (int i = 0; i < perSequence.length; i++) {
                    logits[i] = new float[][] {perSequence[i]}; // one new token: its last logits are all of them
                }
            } else {
                NDArray x = weights.hidden(step, batch, new PagedKeyValues(cache, batch, step), layers); // (tokens, hidden)
                // With one new token per input (every decode step) each row is its input's last: no index to upload, no gather.
                boolean everyRowIsLast = options.allLogits() || batch.tokens() == batch.size();
                NDArray rows = everyRowIsLast ? x : x.get(new NDIndex("{}", step.create(batch.lastRows()))); // (rows, hidden)
                NDArray out = weights.logits(rows); // (rows, vocab)
                sums = DeviceRoutingSums.of(layers.routing()); // null unless some layer was routed on the device
                logits = copyLogits(out, sums, batch, options.allLogits());
            }
            observe(layers, moeInputs);
        } finally {
            cache.stepLock().unlock();
        }
        return finish(batch, options, layers, logits, sums);
    }

    /** Whether a step of one new token per sequence runs on the host path in this model. */
    boolean decodesOnHost() {
        return hostDecode != null;
    }

    private static void observe(LayerStep layers, MoeInputObserver moeInputs) {
        for (int l = 0; l < layers.moeInputs().size(); l++) {
            moeInputs.observe(l, layers.moeInputs().get(l));
        }
    }

    /** After the step's tensors are gone: the sequences advance, then the trace and statistics from the routing. */
    private StepResult finish(StepBatch batch, ForwardOptions options, LayerStep layers, float[][][] logits,
            DeviceRoutingSums sums) {
        for (int i = 0; i < batch.size(); i++) {
            batch.sequence(i).advance(batch.count(i));
        }
        List<List<TokenTrace>> trace = options.trace()
                ? RoutingTraceBuilder.build(batch, layers.routing(), options.fullDistribution())
                : RoutingTraceBuilder.empty(batch);
        return new StepResult(logits, trace, inputStats(batch, layers.routing(), sums));
    }

    /**
     * Per input, per layer: the routing statistics of that input's tokens, computed once from the decisions and
     * either the host's rows or the device's sums ({@code sums}, null when the step had no tensor path).
     */
    private static List<List<LayerRoutingStats>> inputStats(StepBatch batch, List<MoeOutput> routing,
            DeviceRoutingSums sums) {
        List<List<LayerRoutingStats>> perInput = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            List<LayerRoutingStats> layers = new ArrayList<>(routing.size());
            for (int l = 0; l < routing.size(); l++) {
                MoeOutput moe = routing.get(l);
                layers.add(sums == null
                        ? RouterStatistics.compute(l, moe.gateLogits(), moe.decision(), batch.offset(i),
                                batch.offset(i) + batch.count(i))
                        : sums.stats(l, moe, i, batch.offset(i), batch.offset(i) + batch.count(i)));
            }
            perInput.add(layers);
        }
        return perInput;
    }

    /**
     * The step's one copy of logits. With device routing's statistics and one row per input, the statistics ride along
     * as extra columns of the same copy, {@code (inputs, vocab + width)}; with every position's logits they are copied
     * on their own.
     */
    private float[][][] copyLogits(NDArray out, DeviceRoutingSums sums, StepBatch batch, boolean allPositions) {
        if (sums == null) {
            return split(hostCopy.toHost(out), batch, allPositions, vocabSize);
        }
        if (allPositions) {
            sums.received(hostCopy.toHost(sums.onDevice()), 0, sums.width());
            return split(hostCopy.toHost(out), batch, true, vocabSize);
        }
        NDArray logits32 = out.getDataType() == DataType.FLOAT32 ? out : out.toType(DataType.FLOAT32, false);
        float[] both = hostCopy.toHost(logits32.concat(sums.onDevice(), 1)); // (inputs, vocab + width)
        sums.received(both, vocabSize, vocabSize + sums.width());
        return split(both, batch, false, vocabSize + sums.width());
    }

    /** Splits {@code (rows, stride)} into per-input row groups of their first {@code vocab} columns. */
    private float[][][] split(float[] flat, StepBatch batch, boolean allPositions, int stride) {
        float[][][] perInput = new float[batch.size()][][];
        int row = 0;
        for (int i = 0; i < batch.size(); i++) {
            int rows = allPositions ? batch.count(i) : 1;
            perInput[i] = new float[rows][];
            for (int r = 0; r < rows; r++, row++) {
                perInput[i][r] = java.util.Arrays.copyOfRange(flat, row * stride, row * stride + vocabSize);
            }
        }
        return perInput;
    }
}
