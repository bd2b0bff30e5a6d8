package dev.switchboard.runtime.generation;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * One single-sequence generation.
 *
 * @param promptIds the prompt, already tokenized (with BOS if the model wants it)
 * @param sampling how to choose tokens and when to stop
 * @param trace record the routing of every prompt and generated token
 * @param cancelled polled between steps; {@code true} ends the generation with {@link FinishReason#CANCELLED}
 */
public record GenerationRequest(int[] promptIds, SamplingParams sampling, boolean trace, BooleanSupplier cancelled) {

    public GenerationRequest {
        Objects.requireNonNull(sampling, "sampling");
        if (promptIds == null || promptIds.length == 0) {
            throw new IllegalArgumentException("the prompt must have at least one token");
        }
        cancelled = cancelled == null ? () -> false : cancelled;
    }
}
