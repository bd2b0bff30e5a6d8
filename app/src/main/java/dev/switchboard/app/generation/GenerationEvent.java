package dev.switchboard.app.generation;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.runtime.routing.TokenTrace;
import java.util.List;

/** What the scheduler tells one request, in order: Started, then Deltas (or Prefilled), then Finished or Failed. */
sealed interface GenerationEvent {

    /** The request left the queue and joined the batch; its prefill runs next. */
    record Started() implements GenerationEvent {}

    /** New text, with the routing of the tokens that produced it when routing was asked for (else empty). */
    record Delta(String text, List<TokenTrace> routing) implements GenerationEvent {}

    /** The routing of every prompt position (for prefill-only requests). */
    record Prefilled(int[] promptTokens, List<TokenTrace> routing) implements GenerationEvent {}

    /**
     * The end: {@code finishReason} is {@code stop} or {@code length}; {@code routing} holds the routing of
     * tokens that produced no text (held back by a stop string, or the end-of-sequence token).
     */
    record Finished(String finishReason, int promptTokens, int completionTokens, List<TokenTrace> routing)
            implements GenerationEvent {}

    /** The request failed; after {@link Started} this arrives mid-stream. */
    record Failed(ApiException error) implements GenerationEvent {}
}
