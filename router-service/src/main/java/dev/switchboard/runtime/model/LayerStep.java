package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import dev.switchboard.runtime.routing.RoutingPhase;
import java.util.ArrayList;
import java.util.List;

/**
 * What one forward step gives every decoder layer's MoE besides its weights: the expert table read once for the
 * whole step, the routing phase, the fault handler and the sequences' routing overrides. It also keeps each layer's
 * routing (and MoE input), so statistics and traces are made once per step after the layers, not inside them.
 */
final class LayerStep {

    private final ExpertTable experts;
    private final RoutingPhase phase;
    private final ExpertFaultHandler faults;
    private final SequenceOverrides overrides;
    private final SequenceRows deviceRows; // non-null: the MoE layers may route on the device (ADR 0008)
    private final List<MoeOutput> routing = new ArrayList<>();
    private final List<NDArray> moeInputs = new ArrayList<>();

    LayerStep(ExpertTable experts, RoutingPhase phase, ExpertFaultHandler faults, SequenceOverrides overrides) {
        this(experts, phase, faults, overrides, null);
    }

    /** @param deviceRows the step's rows per sequence when its routing may run on the device; null for the host */
    LayerStep(ExpertTable experts, RoutingPhase phase, ExpertFaultHandler faults, SequenceOverrides overrides,
            SequenceRows deviceRows) {
        this.experts = experts;
        this.phase = phase;
        this.faults = faults;
        this.overrides = overrides;
        this.deviceRows = deviceRows;
    }

    /** The step's rows per sequence when its top-k routing may run on the device ({@link DeviceTopK}); else null. */
    SequenceRows deviceRows() {
        return deviceRows;
    }

    ExpertTable experts() {
        return experts;
    }

    RoutingPhase phase() {
        return phase;
    }

    ExpertFaultHandler faults() {
        return faults;
    }

    /** How each row of the step is routed: by the model's strategy, or by its sequence's what-if override. */
    SequenceOverrides overrides() {
        return overrides;
    }

    /** Called by layer {@code layer}, in layer order. */
    void record(int layer, NDArray moeInput, MoeOutput output) {
        if (layer != routing.size()) {
            throw new IllegalStateException("layer " + layer + " recorded its routing out of order");
        }
        moeInputs.add(moeInput);
        routing.add(output);
    }

    /** Per layer, the MoE's output and routing. */
    List<MoeOutput> routing() {
        return routing;
    }

    /** Per layer, the MoE's input {@code (tokens, hidden)} (after the post-attention norm), valid during the step. */
    List<NDArray> moeInputs() {
        return moeInputs;
    }
}
