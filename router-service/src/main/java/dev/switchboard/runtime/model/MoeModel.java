package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDManager;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.routing.RoutingOverride;
import dev.switchboard.runtime.routing.RoutingStrategy;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded sparse Mixture-of-Experts language model (any {@link dev.switchboard.runtime.checkpoint.ModelFamily}:
 * Mixtral, Qwen2-MoE, Qwen3-MoE, OLMoE) that runs batched forward
 * steps over many sequences at once, dispatching each token only to the experts its router chose.
 *
 * <p><b>Experts.</b> The experts live in an immutable {@link ExpertTable} held in a volatile field:
 * every {@link #forward} reads it once, so a step sees one consistent set while {@link #swapExperts}
 * installs the next. An expert that throws or returns the wrong shape is disabled in a new table and
 * the step re-routes around it (logged once, reported to {@link ModelOptions#faultListener()}).
 *
 * <p><b>Threads.</b> {@code forward} may run concurrently for disjoint sequences. {@link #close()} must
 * follow the last step; it frees the weights, the current table's experts and every open sequence.
 */
public final class MoeModel implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MoeModel.class);

    private final MixtralConfig config;
    private final ModelOptions options;
    private final NDManager manager;
    private final KvBlockPool cache;
    private final ModelWeights weights;
    private final ForwardPass forwardPass;
    private final RoutingStrategy routing;
    private final Object tableLock = new Object();
    private volatile ExpertTable experts;

    private MoeModel(MixtralConfig config, ModelOptions options, NDManager manager, ModelWeights weights,
            ExpertTable experts, RoutingStrategy routing) {
        this.config = config;
        this.routing = routing;
        this.options = options;
        this.manager = manager;
        this.cache = new KvBlockPool(manager, config.numHiddenLayers(), config.numKeyValueHeads(), config.headDim(),
                options.workingType());
        this.weights = weights;
        this.forwardPass = new ForwardPass(weights, manager, cache, config.vocabSize(), options.hostCopy(),
                options.hostDecode(), options.routesOnDevice());
        this.experts = experts;
    }

    /**
     * Loads every weight of {@code checkpoint} into native memory the model owns (the checkpoint may be
     * closed afterwards) and builds the experts with the expert kind the config names.
     *
     * @throws IllegalArgumentException when the expert kind is unknown or cannot build an expert
     */
    public static MoeModel load(Checkpoint checkpoint, ModelOptions options) {
        NDManager manager = NDManager.newBaseManager(options.device());
        manager.setName("moe-model");
        try {
            MixtralConfig config = checkpoint.config();
            ModelLoader loader = new ModelLoader(checkpoint, manager, options.workingType(), options.device(), true,
                    options.hostCopy());
            ExpertKind kind = ModelLoader.expertKind(config, options.expertKinds(), checkpoint.directory());
            RoutingStrategy routing = ModelLoader.routing(config, options.routingOverride());
            ModelWeights weights = loader.weights(routing, GateWeights.DECIDED, kind);
            ExpertTable table;
            try {
                table = loader.experts(kind);
            } catch (RuntimeException e) {
                weights.close();
                throw e;
            }
            log.info("Loaded {} model {}: {} layers x {} '{}' experts, routing {}, {} on {}", config.modelType(),
                    checkpoint.directory(), config.numHiddenLayers(), config.numLocalExperts(), kind.name(),
                    routing.getClass().getSimpleName(), options.workingType(), options.device());
            return new MoeModel(config, options, manager, weights, table, routing);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public MixtralConfig config() {
        return config;
    }

    /** A new, empty sequence whose KV cache blocks the model hands out as it grows. */
    public SequenceState newSequence() {
        return new SequenceState(cache, config.maxPositionEmbeddings(), null);
    }

    /**
     * A new, empty sequence whose tokens are routed with {@code override} ("what if"); the other sequences
     * of every step it shares are routed as without it.
     *
     * @throws IllegalArgumentException when the model's routing is not top-k or the override's layer count differs
     */
    public SequenceState newSequence(RoutingOverride override) {
        if (!RoutingOverride.supports(routing)) {
            throw new IllegalArgumentException("a routing override needs token-choice top-k routing; this model routes with "
                    + routing);
        }
        if (override.layers() != config.numHiddenLayers()) {
            throw new IllegalArgumentException("a routing override needs one entry per layer (" + config.numHiddenLayers()
                    + "), found " + override.layers());
        }
        return new SequenceState(cache, config.maxPositionEmbeddings(), override);
    }

    /** The routing strategy of every MoE layer. */
    public RoutingStrategy routing() {
        return routing;
    }

    /**
     * Runs one step: every input's new tokens are appended to its sequence and run through the model
     * together. Returns the logits of each input's last new token (or of all, see {@link ForwardOptions}),
     * the routing trace if asked, and each input's routing statistics per layer.
     */
    public StepResult forward(List<StepInput> inputs, ForwardOptions options) {
        Objects.requireNonNull(options, "options");
        ExpertTable table = experts; // read once: the whole step routes through one consistent table
        return forwardPass.run(inputs, options, table, this::disable);
    }

    /**
     * Whether a decode step (one new token for each of its sequences, batch 1 included) runs its layers in Java over
     * the model's own memory rather than as PyTorch ops: on the CPU, float32, with the Vector API, unless turned off
     * ({@link ModelOptions#hostDecode}). Both compute the same model; docs/PERFORMANCE.md compares them.
     */
    public boolean decodesOnHost() {
        return forwardPass.decodesOnHost();
    }

    /** What every routed expert of this model must look like (width, inner width, precision, device). */
    public ExpertSpec expertSpec() {
        return expertSpec(Map.of());
    }

    /** {@link #expertSpec()} carrying kind-specific {@code kindOptions} (documented by each kind). */
    public ExpertSpec expertSpec(Map<String, String> kindOptions) {
        return new ExpertSpec(config.hiddenSize(), config.expertIntermediateSize(), options.workingType(), options.device(),
                kindOptions);
    }

    /**
     * Builds expert {@code expert} of layer {@code layer} again from the checkpoint's weights with
     * {@code kind} (for example to swap swiglu for int8-swiglu). The caller owns the result.
     *
     * @throws IllegalArgumentException when the checkpoint has no such expert or the kind cannot build it
     */
    public Expert buildExpert(Checkpoint checkpoint, int layer, int expert, ExpertKind kind) {
        return buildExpert(checkpoint, layer, expert, kind, Map.of());
    }

    /** {@link #buildExpert(Checkpoint, int, int, ExpertKind)} with kind-specific options in the spec. */
    public Expert buildExpert(Checkpoint checkpoint, int layer, int expert, ExpertKind kind, Map<String, String> kindOptions) {
        Objects.checkIndex(layer, config.numHiddenLayers());
        Objects.checkIndex(expert, config.numLocalExperts());
        if (!config.isSparse(layer)) {
            throw new IllegalArgumentException("layer " + layer + " is a dense layer (mlp_only_layers / "
                    + "decoder_sparse_step): its MLP is not a routed expert of the checkpoint");
        }
        try (SourceExpertWeights weights = new SourceExpertWeights(checkpoint, layer, expert, manager,
                options.workingType())) {
            return kind.create(expertSpec(kindOptions), weights);
        }
    }

    /**
     * The mean hidden state at each layer's MoE input (after the post-attention norm) over {@code tokenIds},
     * run as one prefill of a fresh sequence through the live experts: {@code [layers][hidden]}.
     */
    public float[][] meanMoeInputs(int[] tokenIds) {
        float[][] inputs = moeInputs(tokenIds); // [layers][tokens * hidden]
        int hidden = config.hiddenSize();
        float[][] means = new float[inputs.length][hidden];
        for (int l = 0; l < inputs.length; l++) {
            for (int i = 0; i < inputs[l].length; i++) {
                means[l][i % hidden] += inputs[l][i] / tokenIds.length;
            }
        }
        return means;
    }

    /**
     * The hidden state of every token of {@code tokenIds} at each layer's MoE input (after the post-attention
     * norm), run as one prefill of a fresh sequence through the live experts: per layer a row-major
     * {@code [tokens, hidden]} array. Used to derive router rows for a new expert from calibration text.
     */
    public float[][] moeInputs(int[] tokenIds) {
        float[][] inputs = new float[config.numHiddenLayers()][];
        try (SequenceState sequence = newSequence()) {
            forwardPass.run(List.of(new StepInput(sequence, tokenIds)), ForwardOptions.DEFAULT, experts, this::disable,
                    (layer, moeInput) -> inputs[layer] = moeInput.toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                            .toFloatArray()); // (tokens, hidden)
        }
        return inputs;
    }

    /**
     * Layer {@code layer}'s shared expert (Qwen2-MoE): it runs on every token beside the routed experts, weighted by
     * its sigmoid gate, and is part of the model's weights, not of the {@link #experts()} table. Empty for a dense
     * layer and for the families without one.
     */
    public Optional<Expert> sharedExpert(int layer) {
        Objects.checkIndex(layer, config.numHiddenLayers());
        return Optional.ofNullable(weights.sharedExperts().get(layer)).map(SharedExpert::expert);
    }

    /** The live expert table. */
    public ExpertTable experts() {
        return experts;
    }

    /**
     * Installs {@code next} for the following steps (steps in progress finish with the old table). The
     * caller closes experts that {@code next} no longer holds, once those steps are done.
     */
    public void swapExperts(ExpertTable next) {
        Objects.requireNonNull(next, "next");
        if (next.layers().size() != config.numHiddenLayers()) {
            throw new IllegalArgumentException("expert table must have " + config.numHiddenLayers()
                    + " layers, found " + next.layers().size());
        }
        for (int l = 0; l < next.layers().size(); l++) {
            long width = next.layer(l).gate().getShape().get(1);
            if (width != config.hiddenSize()) {
                throw new IllegalArgumentException("layer " + l + " gate must have rows of hidden_size "
                        + config.hiddenSize() + ", found " + next.layer(l).gate().getShape());
            }
        }
        synchronized (tableLock) {
            experts = next;
        }
    }

    /** Fault isolation: disables the failed expert in the live table (once) and in the step's view. */
    private LayerExperts disable(ExpertFault fault, LayerExperts stepView) {
        boolean first;
        synchronized (tableLock) {
            ExpertTable live = experts;
            LayerExperts layer = live.layer(fault.layer());
            first = fault.expert() < layer.size() && layer.expert(fault.expert()) == stepView.expert(fault.expert())
                    && !layer.isDisabled(fault.expert());
            if (first) {
                experts = live.withDisabled(fault.layer(), fault.expert(), true);
            }
        }
        if (first) {
            log.warn("Disabled expert {} of layer {} after a runtime fault: {}", fault.expert(), fault.layer(),
                    fault.reason());
            try {
                options.faultListener().accept(fault);
            } catch (RuntimeException listenerFailure) {
                log.warn("Expert fault listener failed", listenerFailure);
            }
        }
        return stepView.withDisabled(fault.expert(), true);
    }

    /** Native arrays the model's manager tree holds (weights, caches, live step temporaries). */
    int nativeArrayCount() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        synchronized (tableLock) {
            for (LayerExperts layer : experts.layers()) {
                layer.experts().forEach(Expert::close);
            }
        }
        weights.close();
        cache.close();
        manager.close();
    }
}
