package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.kernels.VectorKernels;
import dev.switchboard.runtime.routing.RoutingContext;
import dev.switchboard.runtime.routing.RoutingDecision;
import dev.switchboard.runtime.routing.RoutingPhase;
import dev.switchboard.runtime.routing.RoutingStrategy;
import dev.switchboard.runtime.routing.TopKRouting;
import dev.switchboard.spi.Expert;
import java.nio.ByteBuffer;

/**
 * The sparse mixture-of-experts feed-forward layer (Shazeer et al. 2017; Mixtral, arXiv:2401.04088 eq. 1;
 * mistral-inference {@code moe.py}): {@code y = Σ_e G(x)_e · E_e(x)} over the experts the router chose.
 * Each expert runs once, on exactly the tokens routed to it; the FFN maths lives in the experts. The same
 * code trains: autograd records through the dispatch, the experts and the weighted sum ({@link GateWeights}).
 */
final class MoeLayer {

    private final int index;
    private final RoutingStrategy routing;
    private final GateWeights gateWeights;
    private final SharedExpert shared; // Qwen2-MoE: added to every token's output; null for the other families
    private final HostCopy hostCopy;
    private final DeviceTopK deviceTopK; // serving's top-k on the device; null for other strategies and for training

    MoeLayer(int index, RoutingStrategy routing, GateWeights gateWeights, SharedExpert shared, HostCopy hostCopy) {
        this.index = index;
        this.routing = routing;
        this.gateWeights = gateWeights;
        this.shared = shared;
        this.hostCopy = hostCopy;
        this.deviceTopK = routing instanceof TopKRouting topK && gateWeights == GateWeights.DECIDED
                ? new DeviceTopK(topK, hostCopy)
                : null;
    }

    /**
     * {@code hidden (tokens, hidden)} -> weighted expert outputs {@code (tokens, hidden)} and the routing. An expert
     * that fails is disabled through {@code faults} and the layer's tokens are routed again without it. Routes on the
     * model's device when {@code deviceRows} is given (the step asked for it, null otherwise;
     * docs/adr/0008-routing-decisions-on-the-device.md), the strategy is top-k and no sequence of the step has a what-if
     * override: then only the chosen ids and weights cross to the host, not the logits.
     */
    MoeOutput forward(NDArray hidden, LayerExperts layer, RoutingPhase phase, ExpertFaultHandler faults,
            SequenceOverrides overrides, SequenceRows deviceRows) {
        NDArray gateLogits = hidden.getNDArrayInternal().linear(hidden, layer.gate(), null).singletonOrThrow(); // (tokens, numExperts): h·Wgᵀ
        boolean onDevice = deviceRows != null && deviceTopK != null && overrides == SequenceOverrides.NONE;
        // otherwise the router runs on the host, in float32 (ADR 0005, 0007)
        float[] hostLogits = onDevice ? null : hostCopy.toHost(gateLogits);
        while (true) {
            try {
                MoeOutput routed = onDevice
                        ? mixture(hidden, gateLogits, deviceTopK.route(gateLogits,
                                new RoutingContext(layer.disabled(), layer.selectionBias(), phase), deviceRows), layer)
                        : mixture(hidden, gateLogits, hostLogits, layer, phase, overrides);
                return withShared(hidden, routed);
            } catch (ExpertFailure failure) {
                layer = faults.disable(failure.fault, layer); // re-route this layer's tokens without the failed expert
            }
        }
    }

    /** Whether {@link #forwardOnHost} can run: serving's decided gate weights (training recomputes them on the device). */
    boolean onHost() {
        return gateWeights == GateWeights.DECIDED;
    }

    /**
     * {@link #forward} of a host decode step's tokens with the arithmetic around the experts in Java: the router logits
     * of every token from the gate's memory (no copy to cross, as the path runs only on the host), one routing of all
     * of them as in {@link #forward}, each chosen expert once on the rows of its tokens (a tensor, which is what
     * {@link Expert#forward} takes; {@code hiddenArray}, the same {@code (tokens, hidden)} rows, itself when every
     * token chose it), each token's outputs weighted and summed in ascending expert order into
     * {@code out (tokens, hidden)}. Faults re-route as in {@link #forward}. The returned routing has no output tensor:
     * the output is {@code out}. Falls back to {@link #forward} (and copies its output into {@code out}) when the
     * gate is not readable in place, e.g. after a hot swap put it elsewhere.
     */
    MoeOutput forwardOnHost(float[] hidden, NDArray hiddenArray, LayerExperts layer, RoutingPhase phase,
            ExpertFaultHandler faults, SequenceOverrides overrides, float[] out) {
        if (!HostMemory.viewable(layer.gate())) {
            MoeOutput routed = forward(hiddenArray, layer, phase, faults, overrides, null);
            System.arraycopy(routed.output().toFloatArray(), 0, out, 0, out.length);
            return routed;
        }
        int tokens = Math.toIntExact(hiddenArray.getShape().get(0));
        int width = hidden.length / tokens;
        ByteBuffer gate = HostMemory.view(layer.gate()); // (numExperts, hidden)
        int experts = layer.size();
        float[] logits = new float[tokens * experts]; // (tokens, numExperts)
        for (int t = 0; t < tokens; t++) {
            for (int e = 0; e < experts; e++) {
                logits[t * experts + e] = VectorKernels.dot(gate, e * width * Float.BYTES, hidden, t * width, width);
            }
        }
        while (true) {
            try {
                return mixtureOnHost(hidden, hiddenArray, tokens, logits, layer, phase, overrides, out);
            } catch (ExpertFailure failure) {
                layer = faults.disable(failure.fault, layer);
            }
        }
    }

    private MoeOutput mixtureOnHost(float[] hidden, NDArray hiddenArray, int tokens, float[] logits,
            LayerExperts layer, RoutingPhase phase, SequenceOverrides overrides, float[] out) {
        RoutingContext context = new RoutingContext(layer.disabled(), layer.selectionBias(), phase);
        RoutingDecision decision = overrides.route(routing, index, logits, tokens, layer.size(), context);
        ExpertGroups groups = ExpertGroups.of(decision);
        int width = hidden.length / tokens;
        float[][] outputs = new float[layer.size()][];
        for (int e = 0; e < layer.size(); e++) { // every expert first, so a fault re-routes before anything is summed
            if (groups.count(e) > 0) {
                Shape shape = new Shape(groups.count(e), width);
                NDArray rows = groups.count(e) == tokens ? hiddenArray // every token, in order
                        : hiddenArray.getManager().create(groups.rowsOf(e, hidden, width), shape);
                outputs[e] = runExpert(layer.expert(e), e, rows).toFloatArray(); // (n_e, hidden): E_e(x)
            }
        }
        java.util.Arrays.fill(out, 0f);
        for (int e = 0; e < layer.size(); e++) { // ascending expert order within every token
            for (int j = 0; j < groups.count(e); j++) {
                int at = groups.token(e, j) * width;
                float weight = groups.weight(e, j);
                for (int i = 0; i < width; i++) {
                    out[at + i] += weight * outputs[e][j * width + i]; // y = Σ_e G(x)_e · E_e(x)
                }
            }
        }
        if (shared != null) {
            float[] sharedOut = shared.apply(hiddenArray).toFloatArray(); // sigmoid(x·g)·E_shared(x)
            for (int i = 0; i < out.length; i++) {
                out[i] += sharedOut[i];
            }
        }
        return new MoeOutput(null, decision, logits, null, null);
    }

    /** The equation, once: route, run each chosen expert on its tokens, weight and sum per token. */
    private MoeOutput mixture(NDArray hidden, NDArray gateLogits, float[] hostLogits, LayerExperts layer, RoutingPhase phase,
            SequenceOverrides overrides) {
        int tokens = Math.toIntExact(hidden.getShape().get(0));
        RoutingContext context = new RoutingContext(layer.disabled(), layer.selectionBias(), phase);
        // top-k of softmax(h·Wgᵀ); the rows of a sequence with a what-if override are routed by that override
        RoutingDecision decision = overrides.route(routing, index, hostLogits, tokens, layer.size(), context);
        return dispatch(hidden, gateLogits, decision, hostLogits, null, layer);
    }

    /** {@link #mixture} with the routing the device decided ({@link DeviceTopK}). */
    private MoeOutput mixture(NDArray hidden, NDArray gateLogits, DeviceTopK.Routed routed, LayerExperts layer) {
        return dispatch(hidden, gateLogits, routed.decision(), null, routed.sums(), layer);
    }

    /** Runs each chosen expert on its tokens and sums the weighted outputs per token. */
    private MoeOutput dispatch(NDArray hidden, NDArray gateLogits, RoutingDecision decision, float[] hostLogits,
            NDArray routingSums, LayerExperts layer) {
        ExpertGroups groups = ExpertGroups.of(decision);
        NDList routed = groups.dispatch(hidden); // per expert e: (n_e, hidden), only the tokens routed to e
        NDList expertOutputs = new NDList(layer.size() + 1);
        for (int e = 0; e < layer.size(); e++) {
            if (groups.count(e) > 0) { // an expert no token chose is not run
                expertOutputs.add(runExpert(layer.expert(e), e, routed.get(e))); // (n_e, hidden): E_e(x)
            }
        }
        if (expertOutputs.isEmpty()) {
            return new MoeOutput(hidden.zerosLike(), decision, hostLogits, gateLogits, routingSums); // every token dropped
        }
        NDArray outputs = groups.concat(expertOutputs, hidden); // (assignments, hidden), grouped by expert
        NDArray weighted = outputs.mul(gateWeights.of(groups, gateLogits, hidden)); // (assignments, hidden): G(x)_e · E_e(x)
        NDArray output = groups.sumPerToken(weighted); // (tokens, hidden): y = Σ_e G(x)_e · E_e(x)
        return new MoeOutput(output, decision, hostLogits, gateLogits, routingSums);
    }

    /** The routed experts' sum plus the shared expert's gated output, when the layer has one. */
    private MoeOutput withShared(NDArray hidden, MoeOutput routed) {
        if (shared == null) {
            return routed;
        }
        NDArray output = routed.output().add(shared.apply(hidden)); // (tokens, hidden): y + sigmoid(x·g)·E_shared(x)
        return new MoeOutput(output, routed.decision(), routed.gateLogits(), routed.gateLogitsArray(), routed.routingSums());
    }

    /** Runs one expert, turning a throw or a broken output contract into an {@link ExpertFailure}. */
    private NDArray runExpert(Expert expert, int e, NDArray rows) {
        NDArray out;
        try {
            out = expert.forward(rows);
        } catch (RuntimeException | LinkageError failure) {
            throw new ExpertFailure(new ExpertFault(index, e, "forward threw " + failure, failure));
        }
        if (out == null || !out.getShape().equals(rows.getShape()) || out.getDataType() != rows.getDataType()) {
            String found = out == null ? "null" : out.getShape() + " " + out.getDataType();
            throw new ExpertFailure(new ExpertFault(index, e, "forward returned " + found + " for input "
                    + rows.getShape() + " " + rows.getDataType() + " (expected the input's shape and type)", null));
        }
        return out;
    }

    /** Carries a fault from {@link #runExpert} to the retry in {@link #forward}. */
    private static final class ExpertFailure extends RuntimeException {
        private final transient ExpertFault fault;

        ExpertFailure(ExpertFault fault) {
            super(fault.reason(), null, false, false);
            this.fault = fault;
        }
    }
}
