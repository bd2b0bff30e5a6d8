package dev.switchboard.runtime.generation;

import dev.switchboard.runtime.routing.TokenTrace;
import java.util.List;

/**
 * The outcome of a {@link Generator#generate} call.
 *
 * @param promptIds the prompt as run
 * @param generatedIds every generated token, including an EOS that ended the run
 * @param text the generated text, without a stop string that ended it
 * @param finishReason why it ended
 * @param lastPromptLogits the logits at the last prompt position (what produced the first token)
 * @param routing per prompt token then per generated token, their routing; empty unless traced
 * @param prefillNanos time of the prompt's forward pass
 * @param decodeNanos time of the decode steps after the first token
 */
public record GenerationResult(
        int[] promptIds,
        int[] generatedIds,
        String text,
        FinishReason finishReason,
        float[] lastPromptLogits,
        List<TokenTrace> routing,
        long prefillNanos,
        long decodeNanos) {

    /** Decode speed: tokens produced by decode steps per second (the first token comes from the prefill). */
    public double decodeTokensPerSecond() {
        int decoded = generatedIds.length - 1;
        return decoded <= 0 || decodeNanos == 0 ? 0 : decoded * 1e9 / decodeNanos;
    }
}
