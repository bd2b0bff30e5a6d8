package dev.switchboard.app.model;

import java.util.concurrent.Callable;

/**
 * Runs work between two forward steps of the served model. Every forward runs on the one inference
 * thread, so work run there sees no step in progress: an expert-table swap made this way is seen whole by
 * every later step and by no earlier one, and experts it drops can be closed at once.
 */
public interface StepBoundary {

    /**
     * Runs {@code work} on the inference thread before its next step (at once when called from that thread
     * or when no inference thread runs) and returns its result.
     *
     * @throws RuntimeException what {@code work} threw; {@link IllegalStateException} when the inference
     *     thread did not reach a step boundary in time
     */
    <T> T betweenSteps(Callable<T> work);
}
