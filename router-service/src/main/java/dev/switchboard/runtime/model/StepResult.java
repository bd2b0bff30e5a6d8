package dev.switchboard.runtime.model;

import dev.switchboard.runtime.routing.LayerRoutingStats;
import java.util.List;

/**
 * The outcome of one {@link MoeModel#forward} step.
 *
 * @param logits per input (same order as the step's inputs): one row of vocabulary logits for its
 *     last new token, or one row per new token when {@link ForwardOptions#allLogits()} was asked
 * @param trace per input, per new token: the routing through every layer; empty lists unless
 *     {@link ForwardOptions#trace()} was asked
 * @param layerStats one entry per MoE layer: routing statistics over all tokens of the step
 * @param inputStats per input, one entry per MoE layer: the same statistics over that input's new tokens only
 */
public record StepResult(
        float[][][] logits, List<List<TokenTrace>> trace, List<LayerRoutingStats> layerStats, List<List<LayerRoutingStats>> inputStats) {

    public StepResult {
        trace = List.copyOf(trace);
        layerStats = List.copyOf(layerStats);
        inputStats = inputStats.stream().map(List::copyOf).toList();
    }

    /** The logits of input {@code input}'s last new token. */
    public float[] lastLogits(int input) {
        float[][] rows = logits[input];
        return rows[rows.length - 1];
    }
}
