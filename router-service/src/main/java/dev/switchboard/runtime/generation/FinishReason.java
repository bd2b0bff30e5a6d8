package dev.switchboard.runtime.generation;

/** Why a generation ended; the serving layer maps STOP/LENGTH to OpenAI's {@code finish_reason}. */
public enum FinishReason {
    /** The model produced its end-of-sequence token or a stop string completed. */
    STOP,
    /** {@link SamplingParams#maxTokens()} tokens were generated. */
    LENGTH,
    /** The caller cancelled between two steps. */
    CANCELLED
}
