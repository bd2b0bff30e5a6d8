package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.checkpoint.TensorSource;
import dev.switchboard.runtime.routing.RoutingDecision;
import dev.switchboard.runtime.routing.RoutingPhase;
import dev.switchboard.runtime.routing.RoutingStrategies;
import dev.switchboard.runtime.routing.RoutingStrategy;
import dev.switchboard.runtime.routing.SwitchRouting;
import dev.switchboard.runtime.routing.TopKRouting;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import java.util.List;

/**
 * The serving model's forward pass over whole training windows: the layers are built from the live parameters
 * on every call ({@link ModelLoader}, experts through their {@link ExpertKind}), so DJL's autograd records
 * through the very attention, norms, sparse dispatch and experts that serve. Routing is the config's
 * ({@code switchboard_routing}): the serving router's top-k, or Switch top-1 with capacity-limited dispatch
 * ({@link #routing}); the routing weights are recomputed on the device ({@link GateWeights#differentiable}) so the
 * loss reaches the router. Windows attend only to themselves; no KV cache is involved.
 */
public final class TrainingForward {

    /**
     * One forward pass.
     *
     * @param logits {@code (windows·window, vocab)}, window by window
     * @param gateLogits per MoE layer the router logits {@code (windows·window, numExperts)}, with gradients
     * @param decisions per MoE layer the routing the step ran
     */
    public record Output(NDArray logits, List<NDArray> gateLogits, List<RoutingDecision> decisions) {}

    /**
     * Changes the table built from the parameters for one pass, e.g. appends experts that are not parameters of the
     * model (router calibration's contributed experts); what it adds is the caller's to close.
     */
    @FunctionalInterface
    public interface TableExtension {

        /** Nothing added: the table as the parameters build it. */
        TableExtension NONE = (built, step) -> built;

        /** The table the pass routes through; arrays it creates are attached to {@code step}. */
        ExpertTable extend(ExpertTable built, NDManager step);
    }

    private TrainingForward() {}

    /**
     * Runs {@code windows} ({@code [batch][window]}, positions from 0) through the model whose tensors
     * {@code parameters} holds, in {@code type}; every intermediate array is attached to {@code step}.
     */
    public static Output run(TensorSource parameters, ExpertKind kind, DataType type, NDManager step, int[][] windows) {
        return run(parameters, kind, type, step, windows, TableExtension.NONE);
    }

    /** Like {@link #run(TensorSource, ExpertKind, DataType, NDManager, int[][])}, routed through the extended table. */
    public static Output run(TensorSource parameters, ExpertKind kind, DataType type, NDManager step, int[][] windows,
            TableExtension extension) {
        MixtralConfig config = parameters.config();
        ModelLoader loader = new ModelLoader(parameters, step, type, step.getDevice(), false, HostCopy.DIRECT); // PyTorch throughout: autograd
        RoutingStrategy routing = routing(config);
        ModelWeights weights = loader.weights(routing,
                GateWeights.differentiable(routing instanceof TopKRouting && config.normTopkProb()), kind);
        ExpertTable built = loader.experts(kind);
        try {
            ExpertTable experts = extension.extend(built, step);
            StepBatch batch = StepBatch.ofWindows(windows, config.vocabSize());
            LayerStep layers = new LayerStep(experts, RoutingPhase.PREFILL, (fault, view) -> {
                throw new IllegalStateException("expert " + fault.expert() + " of layer " + fault.layer()
                        + " failed during training: " + fault.reason(), fault.cause());
            }, SequenceOverrides.NONE); // training windows are routed as the model routes, never what-if
            NDArray hidden = weights.hidden(step, batch, new WindowKeyValues(batch), layers); // (tokens, hidden)
            NDArray logits = weights.logits(hidden); // (tokens, vocab)
            return new Output(logits, layers.routing().stream().map(MoeOutput::gateLogitsArray).toList(),
                    layers.routing().stream().map(MoeOutput::decision).toList());
        } finally {
            // The experts' copies of the weights stay referenced by the autograd graph until backward.
            built.layers().forEach(layer -> layer.experts().forEach(Expert::close));
            weights.close();
        }
    }

    /**
     * The routing a training forward pass runs: token-choice top-k ({@code topk}, weights renormalised as
     * {@code norm_topk_prob} says), or Switch top-1 with capacity-limited dispatch ({@code switch}: each expert
     * takes at most {@code ceil(tokens / experts × capacity_factor)} of the pass's tokens, in token order; a token
     * past its expert's capacity gets no expert output and passes through the residual; its weight is the
     * unrenormalised {@code p_j}, docs/MOE.md#switch-top-1). Expert-choice sees the whole batch at once, which a
     * causal language model must not (a token's routing would depend on later tokens), so training refuses it.
     */
    public static RoutingStrategy routing(MixtralConfig config) {
        RoutingStrategy routing = RoutingStrategies.forConfig(config.routing(), config.numExpertsPerTok(),
                config.normTopkProb(), config.capacityFactor());
        if (!(routing instanceof TopKRouting) && !(routing instanceof SwitchRouting)) {
            throw new IllegalArgumentException("training routes with switchboard_routing topk or switch, not "
                    + config.routing() + " (it would let a token's routing depend on later tokens)");
        }
        return routing;
    }
}
