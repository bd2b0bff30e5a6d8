package dev.switchboard.app.model;

/** New tokens for one sequence in a forward step: a whole prompt (prefill) or one token (decode). */
public record StepInput(ModelSequence sequence, int[] tokens) {

    public StepInput {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("a step input needs at least one token, found none");
        }
    }
}
