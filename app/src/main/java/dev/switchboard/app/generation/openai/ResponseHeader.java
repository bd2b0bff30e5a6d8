package dev.switchboard.app.generation.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The fields every completion answer and chunk opens with, written unwrapped at the top of
 * {@link ChatCompletion}, {@link ChatCompletionChunk} and {@link TextCompletion}. Every chunk of one stream carries
 * the same {@code id} and {@code created}.
 *
 * @param object {@code chat.completion}, {@code chat.completion.chunk} or {@code text_completion}: the type's
 *     {@code OBJECT}
 */
public record ResponseHeader(
        String id,
        @Schema(allowableValues = {ChatCompletion.OBJECT, ChatCompletionChunk.OBJECT, TextCompletion.OBJECT}) String object,
        long created,
        String model,
        @JsonProperty("system_fingerprint") String systemFingerprint) {

    /** What {@code system_fingerprint} says: one build of Switchboard, not a backend configuration. */
    public static final String SYSTEM_FINGERPRINT = "fp_switchboard";

    /** The header of an answer of type {@code object} (that type's {@code OBJECT}). */
    public static ResponseHeader of(String id, String object, long created, String model) {
        return new ResponseHeader(id, object, created, model, SYSTEM_FINGERPRINT);
    }
}
