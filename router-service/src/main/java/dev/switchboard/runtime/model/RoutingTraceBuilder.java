package dev.switchboard.runtime.model;

import dev.switchboard.runtime.routing.LayerChoice;
import dev.switchboard.runtime.routing.TokenTrace;
import dev.switchboard.runtime.routing.RoutingDecision;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Turns a step's per-layer routing decisions into per-input, per-token traces, once, after the layers ran. */
final class RoutingTraceBuilder {

    private final StepBatch batch;
    private final boolean withProbabilities;
    private final List<RoutingDecision> decisions;

    private RoutingTraceBuilder(StepBatch batch, boolean withProbabilities, List<RoutingDecision> decisions) {
        this.batch = batch;
        this.withProbabilities = withProbabilities;
        this.decisions = decisions;
    }

    /** Per input, per new token: its routing through every layer of {@code routing} (in layer order). */
    static List<List<TokenTrace>> build(StepBatch batch, List<MoeOutput> routing, boolean withProbabilities) {
        return new RoutingTraceBuilder(batch, withProbabilities, routing.stream().map(MoeOutput::decision).toList()).build();
    }

    private List<List<TokenTrace>> build() {
        List<List<TokenTrace>> perInput = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            List<TokenTrace> tokens = new ArrayList<>(batch.count(i));
            for (int j = 0; j < batch.count(i); j++) {
                int row = batch.offset(i) + j;
                List<LayerChoice> layers = new ArrayList<>(decisions.size());
                for (int l = 0; l < decisions.size(); l++) {
                    layers.add(choice(l, decisions.get(l), row));
                }
                tokens.add(new TokenTrace(batch.positions()[row], batch.tokenIds()[row], layers));
            }
            perInput.add(tokens);
        }
        return perInput;
    }

    private LayerChoice choice(int layer, RoutingDecision d, int row) {
        int from = d.offsets()[row];
        int to = d.offsets()[row + 1];
        if (withProbabilities && !d.hasProbabilities()) { // ForwardPass routes such steps on the host
            throw new IllegalStateException("layer " + layer + " was routed on the device, so its probability rows"
                    + " are not on the host for the full-distribution trace");
        }
        float[] probabilities = withProbabilities
                ? Arrays.copyOfRange(d.probabilities(), row * d.numExperts(), (row + 1) * d.numExperts())
                : null;
        return new LayerChoice(layer, Arrays.copyOfRange(d.experts(), from, to),
                Arrays.copyOfRange(d.weights(), from, to), probabilities);
    }

    static List<List<TokenTrace>> empty(StepBatch batch) {
        List<List<TokenTrace>> perInput = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            perInput.add(List.of());
        }
        return perInput;
    }
}
