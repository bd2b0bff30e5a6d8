package dev.switchboard.runtime.serving;

import dev.switchboard.runtime.routing.RoutingOverride;
import java.util.List;

/**
 * The engine that runs batched forward steps for a server: per-sequence KV caches and one step over sequences of
 * different lengths (several prompts prefilled together, or one decode token for each of many sequences). Loaded
 * with {@link ModelRuntime#load}. Not thread-safe: one thread, the server's inference thread, calls it.
 */
public interface ServingEngine extends AutoCloseable {

    /** A fresh sequence with an empty KV cache; close it to free the cache. */
    EngineSequence newSequence();

    /**
     * A fresh sequence whose tokens are routed with {@code override} ("what if"); the other sequences of every
     * step it shares are routed as without it.
     *
     * @throws IllegalArgumentException when the model's routing is not top-k or the override's layer count differs
     */
    EngineSequence newSequence(RoutingOverride override);

    /** Appends each input's tokens to its sequence and returns, per input, the logits of its last position. */
    StepOutcome step(List<SequenceTokens> inputs, RoutingCapture capture);

    /** Frees the weights, the experts and every open sequence; after the last step. */
    @Override
    void close();
}
