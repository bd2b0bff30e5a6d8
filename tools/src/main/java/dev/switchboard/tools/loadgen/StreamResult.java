package dev.switchboard.tools.loadgen;

import org.jspecify.annotations.Nullable;

/**
 * What one streamed completion looked like from the client.
 *
 * @param startNanos when the request was sent ({@link System#nanoTime()})
 * @param tokenNanos arrival time of every chunk that carried generated text, in order
 * @param completionTokens the server's {@code usage.completion_tokens}, or the text chunk count when it sent no usage
 * @param endNanos when the stream ended ({@code [DONE]}, an error, or the connection closed)
 * @param error null when the stream completed; else what went wrong (status, error event, missing {@code [DONE]})
 */
record StreamResult(long startNanos, long[] tokenNanos, int completionTokens, int promptTokens, long endNanos,
        @Nullable String error) {

    boolean failed() {
        return error != null;
    }

    /** Time to first token, or -1 when no token came. */
    long timeToFirstTokenNanos() {
        return tokenNanos.length == 0 ? -1 : tokenNanos[0] - startNanos;
    }

    /** The gaps between consecutive text chunks. */
    long[] interTokenNanos() {
        long[] gaps = new long[Math.max(tokenNanos.length - 1, 0)];
        for (int i = 0; i < gaps.length; i++) {
            gaps[i] = tokenNanos[i + 1] - tokenNanos[i];
        }
        return gaps;
    }
}
