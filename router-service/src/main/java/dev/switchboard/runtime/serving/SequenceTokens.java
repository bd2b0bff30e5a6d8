package dev.switchboard.runtime.serving;

import java.util.Objects;

/**
 * New tokens for one sequence in a {@link ServingEngine#step}: a whole prompt (prefill) or one token (decode).
 *
 * @param tokens at least one token id, appended at the sequence's current length
 */
public record SequenceTokens(EngineSequence sequence, int[] tokens) {

    public SequenceTokens {
        Objects.requireNonNull(sequence, "sequence");
        if (tokens.length == 0) {
            throw new IllegalArgumentException("a step needs at least one new token per sequence, found none");
        }
    }
}
