package dev.switchboard.app.generation.openai;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonCreator;
import dev.switchboard.app.errors.InvalidParameter;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A message's {@code content}: a string, or a list of text parts joined. This server reads text only, so an
 * image, audio or file part is refused rather than dropped.
 */
@JsonClassDescription("a string or a list of text parts")
@Schema(types = {"string", "array"}, oneOf = {String.class, MessageContent.TextPart[].class},
        description = "A string, or a list of text parts")
public record MessageContent(@Schema(hidden = true) String text) {

    /** {@code {"type": "text", "text": …}}, the one kind of content part read. */
    public record TextPart(@Schema(allowableValues = "text") String type, String text) {}

    /** Bound from whatever JSON value {@code content} holds, so that each wrong shape gets its own message. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static MessageContent of(@Nullable Object content) {
        if (content instanceof String text) {
            return new MessageContent(text);
        }
        if (content instanceof List<?> parts) {
            StringBuilder text = new StringBuilder();
            for (Object part : parts) {
                if (!(part instanceof Map<?, ?> fields && "text".equals(fields.get("type")) && fields.get("text") instanceof String value)) {
                    throw InvalidParameter.of("", "parts must be {\"type\": \"text\", \"text\": ...}; this server reads text only");
                }
                text.append(value);
            }
            return new MessageContent(text.toString());
        }
        throw InvalidParameter.of("", "must be a string or a list of text parts");
    }
}
