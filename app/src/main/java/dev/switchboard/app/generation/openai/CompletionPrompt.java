package dev.switchboard.app.generation.openai;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonCreator;
import dev.switchboard.app.errors.InvalidParameter;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A text completion's {@code prompt}: text, or token ids; OpenAI's batch form is accepted with one prompt in it.
 * Token ids are checked against the vocabulary once the model is known.
 *
 * @param text the prompt text, or null for token ids
 * @param tokenIds the token ids (each ≥ 0), or null for text
 */
@JsonClassDescription("a string, a list of token ids, or a list holding one of those")
@Schema(types = {"string", "array"}, oneOf = {String.class, long[].class, String[].class, long[][].class},
        description = "A string, a list of token ids, or a one-element list of either (one prompt per request)")
public record CompletionPrompt(@Schema(hidden = true) @Nullable String text, @Schema(hidden = true) long @Nullable [] tokenIds) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static CompletionPrompt of(@Nullable Object prompt) {
        if (prompt instanceof List<?> batch && batch.size() == 1 && (batch.get(0) instanceof String || batch.get(0) instanceof List)) {
            prompt = batch.get(0); // a batch of one
        }
        if (prompt instanceof String text) {
            return new CompletionPrompt(text, null);
        }
        if (prompt instanceof List<?> ids && !ids.isEmpty()) {
            long[] tokenIds = new long[ids.size()];
            for (int i = 0; i < tokenIds.length; i++) {
                Object id = ids.get(i);
                if (!(id instanceof Integer || id instanceof Long) || ((Number) id).longValue() < 0) {
                    throw InvalidParameter.of("", "token ids must be integers in [0, vocabulary size); found "
                            + (id instanceof String ? "\"" + id + "\"" : id) + " at index " + i);
                }
                tokenIds[i] = ((Number) id).longValue();
            }
            return new CompletionPrompt(null, tokenIds);
        }
        throw InvalidParameter.of("", "must be a string, a list of token ids, or a list holding one of those "
                + "(one prompt per request)");
    }
}
