package dev.switchboard.runtime.model;

import java.util.Objects;

/**
 * One sequence's part of a forward step: its new tokens, appended at the sequence's current length.
 * A prompt (prefill) has many new tokens, a decode step one.
 *
 * @param sequence the sequence whose KV cache the tokens extend
 * @param newTokenIds at least one token id
 */
public record StepInput(SequenceState sequence, int[] newTokenIds) {

    public StepInput {
        Objects.requireNonNull(sequence, "sequence");
        Objects.requireNonNull(newTokenIds, "newTokenIds");
        if (newTokenIds.length == 0) {
            throw new IllegalArgumentException("a step input needs at least one new token, found none");
        }
        newTokenIds = newTokenIds.clone();
    }

    /** Number of new tokens. */
    public int length() {
        return newTokenIds.length;
    }
}
