package dev.switchboard.app.generation;

/**
 * Server-sent event frames written by hand: {@code data: <json>\n\n} with the space after the colon, which
 * several OpenAI clients require (Spring's own SSE writer omits it), and comment lines for keep-alive
 * (never {@code retry:}/{@code id:}-only events, which break openai-python).
 */
final class SseFrames {

    static final String DONE = "data: [DONE]\n\n";
    static final String KEEP_ALIVE = ": keep-alive\n\n";

    private SseFrames() {}

    static String data(String json) {
        return "data: " + json + "\n\n";
    }
}
