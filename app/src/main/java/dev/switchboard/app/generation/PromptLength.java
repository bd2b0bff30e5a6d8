package dev.switchboard.app.generation;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.model.ServedModel;

/**
 * Refuses a prompt that cannot fit the context before it is rendered or tokenized, so an oversized prompt costs
 * a length check instead of seconds of tokenizer time. The bound, {@code context × longest vocabulary piece}
 * characters, never refuses a prompt that would fit: no token covers more characters than the longest piece.
 */
final class PromptLength {

    private PromptLength() {}

    /** @throws ApiException 400 {@code context_length_exceeded} when {@code chars} cannot fit the model's context */
    static void requireFits(ServedModel model, long chars, String param) {
        int context = model.shape().contextLength();
        long maxChars = (long) context * model.tokenizer().longestPieceChars();
        if (chars > maxChars) {
            throw ApiException.invalid(param, "context_length_exceeded", "This model's maximum context length is "
                    + context + " tokens, at most " + maxChars + " characters of text; the " + param + " hold " + chars
                    + " characters. Please reduce the length of the " + param + ".");
        }
    }
}
