package dev.switchboard.runtime.model;

/** What a MoE layer does when an expert fails during a step: disable it and carry on without it. */
interface ExpertFaultHandler {

    /**
     * Records the fault (disabling the expert in the live table) and returns the step's view of the
     * layer with that expert disabled, to re-route the step's tokens with.
     */
    LayerExperts disable(ExpertFault fault, LayerExperts stepView);
}
