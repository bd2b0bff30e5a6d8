package dev.switchboard.runtime.model;

import dev.switchboard.runtime.routing.RoutingContext;
import dev.switchboard.runtime.routing.RoutingDecision;
import dev.switchboard.runtime.routing.RoutingOverride;
import dev.switchboard.runtime.routing.RoutingStrategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The routing overrides of a step's sequences, by row range: routes a layer's rows so that each sequence
 * with a {@link RoutingOverride} gets its own routing and every other row is routed by the model's strategy
 * alone, exactly as in a step without overrides (top-k routing decides each row from that row's logits only).
 */
final class SequenceOverrides {

    /** No sequence has an override: every row is routed by the model's strategy (also training's windows). */
    static final SequenceOverrides NONE = new SequenceOverrides(null, null);

    private final int[] offsets; // (inputs + 1): input i's rows are offsets[i] .. offsets[i+1]
    private final RoutingOverride[] overrides; // (inputs): null where the sequence has none

    private SequenceOverrides(int[] offsets, RoutingOverride[] overrides) {
        this.offsets = offsets;
        this.overrides = overrides;
    }

    static SequenceOverrides of(StepBatch batch) {
        RoutingOverride[] overrides = new RoutingOverride[batch.size()];
        boolean any = false;
        int[] offsets = new int[batch.size() + 1];
        for (int i = 0; i < batch.size(); i++) {
            overrides[i] = batch.sequence(i).routingOverride();
            any |= overrides[i] != null;
            offsets[i + 1] = batch.offset(i) + batch.count(i);
        }
        return any ? new SequenceOverrides(offsets, overrides) : NONE;
    }

    /** One layer's routing of all the step's rows: runs of rows without an override are routed together. */
    RoutingDecision route(RoutingStrategy routing, int layer, float[] gateLogits, int tokens, int numExperts,
            RoutingContext context) {
        if (overrides == null) {
            return routing.route(gateLogits, tokens, numExperts, context);
        }
        List<RoutingDecision> parts = new ArrayList<>();
        int i = 0;
        while (i < overrides.length) {
            int from = offsets[i];
            RoutingOverride override = overrides[i];
            i++;
            while (override == null && i < overrides.length && overrides[i] == null) {
                i++; // neighbours without an override share one call
            }
            int to = offsets[i];
            float[] rows = Arrays.copyOfRange(gateLogits, from * numExperts, to * numExperts); // (to - from, numExperts)
            parts.add(override == null
                    ? routing.route(rows, to - from, numExperts, context)
                    : override.route(routing, layer, rows, to - from, numExperts, context));
        }
        return RoutingDecision.stack(parts);
    }
}
