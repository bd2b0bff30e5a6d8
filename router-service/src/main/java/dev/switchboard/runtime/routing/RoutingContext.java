package dev.switchboard.runtime.routing;

import java.util.Objects;

/**
 * Per-layer routing inputs that are not the gate logits.
 *
 * <p>{@code disabled} and {@code selectionBias} may be {@code null}, meaning "no expert disabled" and
 * "no bias"; when present their length must equal the layer's number of experts (checked by
 * {@link #requireExperts(int)}, which every strategy calls).
 *
 * @param disabled {@code disabled[e]} masks expert e before selection (its weight renormalises over the others)
 * @param selectionBias additive per-expert bias used for selection only (DeepSeek-V3); weights come from unbiased scores
 * @param phase prefill or decode (expert-choice refuses decode)
 */
public record RoutingContext(boolean[] disabled, float[] selectionBias, RoutingPhase phase) {

    public RoutingContext {
        Objects.requireNonNull(phase, "routing phase must be PREFILL or DECODE, not null");
    }

    /** No expert disabled, no selection bias. */
    public static RoutingContext of(RoutingPhase phase) {
        return new RoutingContext(null, null, phase);
    }

    /** This context with {@code disabled} as the expert mask. */
    public RoutingContext withDisabled(boolean[] newDisabled) {
        return new RoutingContext(newDisabled, selectionBias, phase);
    }

    /** This context with {@code bias} as the selection-only expert bias. */
    public RoutingContext withSelectionBias(float[] bias) {
        return new RoutingContext(disabled, bias, phase);
    }

    /** Whether expert {@code expert} is masked out. */
    public boolean isDisabled(int expert) {
        return disabled != null && disabled[expert];
    }

    /** The selection bias of {@code expert} (0 when there is no bias). */
    public float bias(int expert) {
        return selectionBias == null ? 0f : selectionBias[expert];
    }

    /** Throws if the mask or the bias does not have one entry per expert. */
    public void requireExperts(int numExperts) {
        if (disabled != null && disabled.length != numExperts) {
            throw new IllegalArgumentException("disabled mask has " + disabled.length
                    + " entries but the layer has " + numExperts + " experts");
        }
        if (selectionBias != null && selectionBias.length != numExperts) {
            throw new IllegalArgumentException("selection bias has " + selectionBias.length
                    + " entries but the layer has " + numExperts + " experts");
        }
    }
}
