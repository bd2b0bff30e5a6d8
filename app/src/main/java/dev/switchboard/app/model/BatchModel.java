package dev.switchboard.app.model;

import dev.switchboard.runtime.routing.RoutingOverride;
import java.util.List;

/**
 * What the generation scheduler needs from a loaded model: per-sequence KV caches and one batched forward
 * step over sequences of different lengths (several prompts prefilled together, or one decode token for
 * each of many sequences). Not thread-safe: exactly one thread, the scheduler's, calls it.
 */
public interface BatchModel extends AutoCloseable {

    /** A fresh sequence with an empty KV cache; close it to free the cache. */
    ModelSequence newSequence();

    /**
     * A fresh sequence whose tokens are routed with {@code override} ("what if"); the other sequences of every
     * step it shares are routed as without it.
     */
    ModelSequence newSequence(RoutingOverride override);

    /**
     * Appends each input's tokens to its sequence and returns, per input, the logits of its last position.
     *
     * @param capture how much routing to return for the new tokens
     */
    StepOutput forward(List<StepInput> inputs, RoutingCapture capture);

    @Override
    void close();
}
