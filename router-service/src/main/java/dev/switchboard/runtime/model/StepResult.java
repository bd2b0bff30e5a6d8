package dev.switchboard.runtime.model;

import dev.switchboard.runtime.routing.TokenTrace;
import dev.switchboard.runtime.routing.LayerRoutingStats;
import java.util.List;

/**
 * The outcome of one {@link MoeModel#forward} step.
 *
 * @param logits per input (same order as the step's inputs): one row of vocabulary logits for its
 *     last new token, or one row per new token when {@link ForwardOptions#allLogits()} was asked
 * @param trace per input, per new token: the routing through every layer; empty lists unless
 *     {@link ForwardOptions#trace()} was asked
 * @param inputStats per input, one entry per MoE layer: routing statistics over that input's new tokens
 */
public record StepResult(float[][][] logits, List<List<TokenTrace>> trace, List<List<LayerRoutingStats>> inputStats) {

    public StepResult {
        trace = List.copyOf(trace);
        inputStats = inputStats.stream().map(List::copyOf).toList();
    }

    /** The logits of input {@code input}'s last new token. */
    public float[] lastLogits(int input) {
        float[][] rows = logits[input];
        return rows[rows.length - 1];
    }
}
