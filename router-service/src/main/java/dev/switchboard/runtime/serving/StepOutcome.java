package dev.switchboard.runtime.serving;

import dev.switchboard.runtime.routing.LayerRoutingStats;
import dev.switchboard.runtime.routing.TokenTrace;
import java.util.List;

/**
 * What a {@link ServingEngine#step} returns, in input order.
 *
 * @param logits per input the vocabulary logits of its last new position
 * @param routing per input the routing of each of its new tokens; null when {@link RoutingCapture#NONE} was asked
 * @param inputStats per input, per MoE layer, the routing statistics of that input's tokens only
 */
public record StepOutcome(List<float[]> logits, List<List<TokenTrace>> routing, List<List<LayerRoutingStats>> inputStats) {}
