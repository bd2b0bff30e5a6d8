package dev.switchboard.tools.loadgen;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a streamed chat completion line by line as it arrives ({@code text/event-stream}): {@code data:}
 * lines carry a JSON chunk, {@code data: [DONE]} ends the stream, comment lines ({@code : keep-alive}) and
 * blank lines are skipped. A chunk whose {@code choices[0].delta.content} is non-empty counts as a token
 * arrival (the role-only first chunk does not); the usage chunk gives the exact token counts; a
 * {@code data: {"error": ...}} event marks the stream failed. Not thread-safe: one reader per stream.
 */
final class ChatStreamReader {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private long[] tokenNanos = new long[64];
    private int tokens;
    private int completionTokens = -1;
    private int promptTokens = -1;
    private boolean done;
    private @Nullable String error;

    /** Takes one line of the response body (without its line ending) that arrived at {@code nanos}. */
    void accept(String line, long nanos) {
        if (line.isEmpty() || line.startsWith(":")) return;
        if (!line.startsWith("data:")) {
            fail("unexpected line '" + abbreviate(line) + "'");
            return;
        }
        String data = line.substring(line.startsWith("data: ") ? 6 : 5);
        if (data.equals("[DONE]")) {
            if (done) fail("a second [DONE]");
            done = true;
            return;
        }
        if (done) {
            fail("data after [DONE]");
            return;
        }
        JsonNode chunk;
        try {
            chunk = JSON.readTree(data);
        } catch (JacksonException e) {
            fail("a data line that is not JSON: '" + abbreviate(data) + "'");
            return;
        }
        if (chunk.has("error")) {
            fail("error event: " + chunk.path("error").path("message").asString(""));
            return;
        }
        JsonNode usage = chunk.get("usage");
        if (usage != null && usage.isObject()) {
            completionTokens = usage.path("completion_tokens").asInt(-1);
            promptTokens = usage.path("prompt_tokens").asInt(-1);
        }
        JsonNode content = chunk.path("choices").path(0).path("delta").path("content");
        if (content.isString() && !content.asString().isEmpty()) {
            if (tokens == tokenNanos.length) tokenNanos = Arrays.copyOf(tokenNanos, tokens * 2);
            tokenNanos[tokens++] = nanos;
        }
    }

    /** Marks the stream failed before or instead of its events (HTTP status, connection error). */
    void fail(String reason) {
        if (error == null) error = reason;
    }

    /** The stream as seen so far; a stream that ended without {@code [DONE]} counts as failed. */
    StreamResult result(long startNanos, long endNanos) {
        String outcome = error != null || done ? error : "the stream ended without data: [DONE]";
        return new StreamResult(startNanos, Arrays.copyOf(tokenNanos, tokens), completionTokens >= 0 ? completionTokens : tokens,
                promptTokens, endNanos, outcome);
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
