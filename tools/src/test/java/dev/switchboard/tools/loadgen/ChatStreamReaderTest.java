package dev.switchboard.tools.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The load generator's reading of a chat completion stream and its percentiles. */
class ChatStreamReaderTest {

    /** A stream as the server wrote it (captured with curl from the small preset, max_tokens 3). */
    private static final String STREAM = """
            data: {"id":"chatcmpl-631f","object":"chat.completion.chunk","created":1795444393,"model":"small","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}

            : keep-alive

            data: {"id":"chatcmpl-631f","object":"chat.completion.chunk","created":1795444393,"model":"small","choices":[{"index":0,"delta":{"content":"fe"},"logprobs":null,"finish_reason":null}],"usage":null}

            data: {"id":"chatcmpl-631f","object":"chat.completion.chunk","created":1795444393,"model":"small","choices":[{"index":0,"delta":{"content":" arel"},"logprobs":null,"finish_reason":null}],"usage":null}

            data: {"id":"chatcmpl-631f","object":"chat.completion.chunk","created":1795444393,"model":"small","choices":[{"index":0,"delta":{"content":"com"},"logprobs":null,"finish_reason":null}],"usage":null}

            data: {"id":"chatcmpl-631f","object":"chat.completion.chunk","created":1795444393,"model":"small","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}],"usage":null}

            data: {"id":"chatcmpl-631f","object":"chat.completion.chunk","created":1795444393,"model":"small","choices":[],"usage":{"prompt_tokens":26,"completion_tokens":3,"total_tokens":29}}

            data: [DONE]

            """;

    @Test
    void textChunksAreTokenArrivalsAndUsageGivesTheCounts() {
        StreamResult result = read(STREAM);

        assertThat(result.error()).isNull();
        assertThat(result.completionTokens()).isEqualTo(3);
        assertThat(result.promptTokens()).isEqualTo(26);
        // Line i arrives at 1000 + 10·i ns: text chunks are lines 4, 6 and 8 (the role chunk is line 0).
        assertThat(result.tokenNanos()).containsExactly(1040L, 1060L, 1080L);
        assertThat(result.timeToFirstTokenNanos()).isEqualTo(40);
        assertThat(result.interTokenNanos()).containsExactly(20L, 20L);
    }

    @Test
    void anErrorEventFailsTheStream() {
        StreamResult result = read("""
                data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}

                data: {"error":{"message":"The server is shutting down","type":"server_error","param":null,"code":"server_draining"}}

                data: [DONE]
                """);

        assertThat(result.failed()).isTrue();
        assertThat(result.error()).contains("The server is shutting down");
    }

    @Test
    void aStreamWithoutDoneFailsAndTokensAreCountedWithoutUsage() {
        StreamResult result = read("""
                data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}

                data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"b"},"finish_reason":null}]}
                """);

        assertThat(result.error()).contains("[DONE]");
        assertThat(result.completionTokens()).isEqualTo(2);
        assertThat(result.promptTokens()).isEqualTo(-1);
    }

    @Test
    void aLineThatIsNotServerSentEventsFailsTheStream() {
        assertThat(read("HTTP/1.1 502 Bad Gateway\ndata: [DONE]\n").error()).contains("unexpected line");
        assertThat(read("data: {not json\ndata: [DONE]\n").error()).contains("not JSON");
    }

    @Test
    void percentilesUseTheNearestRank() {
        Percentiles p = new Percentiles(new long[] {50, 10, 40, 20, 30, 100, 90, 80, 70, 60});

        assertThat(p.at(50)).isEqualTo(50); // ceil(0.5·10) = 5th smallest
        assertThat(p.at(90)).isEqualTo(90);
        assertThat(p.at(99)).isEqualTo(100); // ceil(9.9) = 10th
        assertThat(p.at(1)).isEqualTo(10);
        assertThat(new Percentiles(new long[] {7}).at(99)).isEqualTo(7);
        assertThat(new Percentiles(new long[0]).at(50)).isNaN();
    }

    @Test
    void aLevelPoolsTheGapsOfItsSuccessfulRequestsAndCountsItsErrors() {
        StreamResult fast = new StreamResult(0, new long[] {5, 6, 7}, 3, 10, 8, null);
        StreamResult slow = new StreamResult(0, new long[] {50, 60}, 2, 10, 70, null);
        StreamResult failed = new StreamResult(0, new long[] {1}, 1, -1, 2, "HTTP 429");

        LevelResult level = LevelResult.of(2, List.of(fast, slow, failed), 2_000_000_000L);

        assertThat(level.errors()).isEqualTo(1);
        assertThat(level.generatedTokens()).isEqualTo(5);
        assertThat(level.tokensPerSecond()).isEqualTo(2.5);
        assertThat(level.interToken().count()).isEqualTo(3); // 1, 1, 10
        assertThat(level.interToken().at(99)).isEqualTo(10);
        assertThat(level.timeToFirstToken().at(50)).isEqualTo(5);
        assertThat(level.firstError()).isEqualTo("HTTP 429");
    }

    private static StreamResult read(String body) {
        ChatStreamReader reader = new ChatStreamReader();
        List<String> lines = body.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            reader.accept(lines.get(i), 1000 + 10L * i);
        }
        return reader.result(1000, 2000);
    }
}
