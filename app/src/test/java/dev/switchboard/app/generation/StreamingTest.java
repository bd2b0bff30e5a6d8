package dev.switchboard.app.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The SSE stream byte by byte, over a real socket: framing, chunk invariants, usage chunk, keep-alive, errors. */
class StreamingTest extends ServingTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** An event is either a comment line or one data line, each followed by a blank line. */
    private static final Pattern FRAME = Pattern.compile("(: [^\\n]*|data: [^\\n]+)\\n\\n");

    record Raw(int status, String contentType, String body) {}

    private Raw stream(String path, String json) {
        return WebClient.create("http://127.0.0.1:" + port).post().uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ServingTest.API_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json)
                .exchangeToMono(response -> DataBufferUtils.join(response.bodyToFlux(DataBuffer.class))
                        .map(buffer -> {
                            String text = buffer.toString(StandardCharsets.UTF_8);
                            DataBufferUtils.release(buffer);
                            return text;
                        })
                        .defaultIfEmpty("")
                        .map(body -> new Raw(response.statusCode().value(),
                                String.valueOf(response.headers().contentType().orElse(null)), body)))
                .block(Duration.ofSeconds(30));
    }

    /** Splits the raw body into frames, failing on any byte that is not part of a well-formed frame. */
    private static List<String> frames(String body) {
        List<String> frames = new ArrayList<>();
        Matcher matcher = FRAME.matcher(body);
        int at = 0;
        while (matcher.find() && matcher.start() == at) {
            frames.add(matcher.group(1));
            at = matcher.end();
        }
        assertThat(at).as("bytes after the last well-formed frame: %s", body.substring(at)).isEqualTo(body.length());
        return frames;
    }

    private static List<JsonNode> chunks(List<String> frames) {
        assertThat(frames.get(frames.size() - 1)).isEqualTo("data: [DONE]");
        assertThat(frames.stream().filter(f -> f.equals("data: [DONE]"))).hasSize(1);
        return frames.stream().filter(f -> f.startsWith("data: {")).map(f -> JSON.readTree(f.substring(6))).toList();
    }

    @Test
    void chatStreamFramesAndChunkInvariants() {
        Raw raw = stream("/v1/chat/completions", chat("\"stream\":true,\"max_tokens\":6,\"temperature\":0"));
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.contentType()).startsWith("text/event-stream");
        assertThat(raw.body()).startsWith("data: {").endsWith("data: [DONE]\n\n").doesNotContain("data:{");
        List<JsonNode> chunks = chunks(frames(raw.body()));

        JsonNode first = chunks.get(0);
        assertThat(first.path("id").asString()).startsWith("chatcmpl-");
        for (JsonNode chunk : chunks) {
            assertThat(chunk.path("id").asString()).isEqualTo(first.path("id").asString());
            assertThat(chunk.path("created").asLong()).isEqualTo(first.path("created").asLong());
            assertThat(chunk.path("object").asString()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.path("model").asString()).isEqualTo(ServingTest.MODEL);
            assertThat(chunk.path("choices").size()).isEqualTo(1);
            assertThat(chunk.path("choices").path(0).path("index").asInt()).isZero();
            assertThat(chunk.has("usage")).as("no usage field unless include_usage").isFalse();
        }
        assertThat(first.path("choices").path(0).path("delta").path("role").asString()).isEqualTo("assistant");
        for (JsonNode chunk : chunks.subList(1, chunks.size())) {
            assertThat(chunk.path("choices").path(0).path("delta").has("role")).isFalse();
        }
        for (JsonNode chunk : chunks.subList(0, chunks.size() - 1)) {
            JsonNode finish = chunk.path("choices").path(0).get("finish_reason");
            assertThat(finish).as("finish_reason present and null before the end").isNotNull();
            assertThat(finish.isNull()).isTrue();
        }
        JsonNode last = chunks.get(chunks.size() - 1).path("choices").path(0);
        assertThat(last.path("finish_reason").asString()).isEqualTo("length");
        assertThat(last.path("delta").isEmpty()).as("terminal chunk has an empty delta").isTrue();

        String streamed = chunks.stream().map(c -> c.path("choices").path(0).path("delta").path("content").asString(""))
                .reduce("", String::concat);
        String whole = JSON.readTree(post("/v1/chat/completions", chat("\"max_tokens\":6,\"temperature\":0"))
                .expectBody(String.class).returnResult().getResponseBody())
                .path("choices").path(0).path("message").path("content").asString();
        assertThat(streamed).as("stream and non-stream give the same greedy text").isEqualTo(whole);
    }

    @Test
    void includeUsageAddsOneUsageChunkWithEmptyChoicesBeforeDone() {
        Raw raw = stream("/v1/chat/completions",
                chat("\"stream\":true,\"max_tokens\":4,\"stream_options\":{\"include_usage\":true}"));
        List<JsonNode> chunks = chunks(frames(raw.body()));
        JsonNode usageChunk = chunks.get(chunks.size() - 1);
        assertThat(usageChunk.path("choices").isArray()).isTrue();
        assertThat(usageChunk.path("choices").isEmpty()).isTrue();
        JsonNode usage = usageChunk.path("usage");
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(4);
        assertThat(usage.path("total_tokens").asInt())
                .isEqualTo(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt());
        for (JsonNode chunk : chunks.subList(0, chunks.size() - 1)) {
            assertThat(chunk.get("usage")).isNotNull();
            assertThat(chunk.get("usage").isNull()).as("other chunks carry usage: null").isTrue();
        }
        assertThat(chunks.stream().filter(c -> c.path("choices").isEmpty())).hasSize(1);
    }

    @Test
    void textCompletionStreamUsesTextCompletionObjects() {
        Raw raw = stream("/v1/completions", "{\"model\":\"" + ServingTest.MODEL + "\",\"prompt\":\"Hi\",\"stream\":true,"
                + "\"temperature\":0,\"max_tokens\":3}");
        List<JsonNode> chunks = chunks(frames(raw.body()));
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.path("object").asString()).isEqualTo("text_completion");
            assertThat(c.path("id").asString()).startsWith("cmpl-");
            assertThat(c.path("choices").path(0).has("text")).isTrue();
        });
        assertThat(chunks.get(chunks.size() - 1).path("choices").path(0).path("finish_reason").asString()).isEqualTo("length");
    }

    @Test
    void routingExtensionRidesOnTheChunks() {
        Raw raw = stream("/v1/chat/completions", chat("\"stream\":true,\"max_tokens\":5,\"routing\":true"));
        int tokens = 0;
        for (JsonNode chunk : chunks(frames(raw.body()))) {
            JsonNode routed = chunk.path("choices").path(0).path("routed_experts");
            tokens += routed.size();
            for (JsonNode token : routed) {
                assertThat(token.size()).isEqualTo(2);
                assertThat(token.path(0).size()).isEqualTo(2);
            }
        }
        assertThat(tokens).as("every generated token's routing arrives once").isEqualTo(5);
    }

    @Test
    void keepAliveCommentsFlowWhileALongPrefillRuns() {
        controls.prefillDelay(700); // keep-alive is 150 ms in the test configuration
        Raw raw = stream("/v1/chat/completions", chat("\"stream\":true,\"max_tokens\":2"));
        List<String> frames = frames(raw.body());
        assertThat(frames).contains(": keep-alive");
        assertThat(frames).noneMatch(f -> f.startsWith("retry:") || f.startsWith("id:") || f.startsWith("event:"));
        chunks(frames);
    }

    @Test
    void failureMidStreamSendsAnErrorEventThenDone() {
        controls.failStep(3); // prefill, one decode step, then the fault
        Raw raw = stream("/v1/chat/completions", chat("\"stream\":true,\"temperature\":0,\"max_tokens\":10"));
        assertThat(raw.status()).isEqualTo(200);
        List<String> frames = frames(raw.body());
        List<String> data = frames.stream().filter(f -> f.startsWith("data: ")).toList();
        assertThat(data.get(data.size() - 1)).isEqualTo("data: [DONE]");
        JsonNode error = JSON.readTree(data.get(data.size() - 2).substring(6)).path("error");
        assertThat(error.path("type").asString()).isEqualTo("server_error");
        assertThat(error.path("message").asString()).doesNotContain("fault injected");
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
    }

    @Test
    void contextOverflowInAStreamIsA400BeforeAnyEvent() {
        String longPrompt = "word ".repeat(5000);
        Raw raw = stream("/v1/chat/completions", "{\"model\":\"" + ServingTest.MODEL + "\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + longPrompt + "\"}]}");
        assertThat(raw.status()).isEqualTo(400);
        assertThat(raw.contentType()).startsWith("application/json");
        JsonNode error = JSON.readTree(raw.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("context_length_exceeded");
        assertThat(error.path("message").asString()).startsWith("This model's maximum context length is 4096 tokens");
    }
}
