package dev.switchboard.app.generation;

import dev.switchboard.runtime.routing.TokenTrace;
import dev.switchboard.runtime.routing.LayerRoutingStats;
import dev.switchboard.runtime.routing.RoutingPhase;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where routing statistics leave the scheduler: called on the inference thread after every forward step
 * and when a request ends. Implementations must return quickly and never block (hand the data to a
 * buffer); an exception is logged and does not fail the requests. The statistics feature provides the
 * bean; without one nothing is recorded.
 */
public interface StepObserver {

    /** True to have every step capture per-token routing ({@link SequenceStep#routing()}), at some cost. */
    default boolean wantsTokenRouting() {
        return false;
    }

    void afterStep(StepReport report);

    default void afterRequest(RequestReport report) {}

    /**
     * One forward step.
     *
     * @param sequences the sequences in the step, in batch order
     */
    record StepReport(String modelId, RoutingPhase phase, List<SequenceStep> sequences) {}

    /**
     * One sequence's part of a step.
     *
     * @param tokens the token ids fed in this step (the prompt at prefill, one token at decode)
     * @param routing per fed token its routing through every layer, when captured; else null
     * @param layerStats per MoE layer, the routing statistics of this sequence's tokens in the step
     */
    record SequenceStep(String requestId, @Nullable String domain, int[] tokens, @Nullable List<TokenTrace> routing,
            List<LayerRoutingStats> layerStats) {}

    /** A request that ended; {@code finishReason} is stop, length, cancelled or error. */
    record RequestReport(String requestId, String modelId, String endpoint, @Nullable String domain, int promptTokens,
            int completionTokens, String finishReason, long durationMillis) {}
}
