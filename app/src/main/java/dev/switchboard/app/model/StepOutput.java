package dev.switchboard.app.model;

import dev.switchboard.runtime.routing.LayerRoutingStats;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The result of {@link BatchModel#forward}, in input order.
 *
 * @param logits per input the vocabulary logits of its last new position
 * @param routing per input the routing of each of its new tokens; null when {@link RoutingCapture#NONE}
 * @param inputStats per input, per MoE layer, the routing statistics of that input's tokens only
 */
public record StepOutput(List<float[]> logits, @Nullable List<TokenRouting[]> routing, List<List<LayerRoutingStats>> inputStats) {}
