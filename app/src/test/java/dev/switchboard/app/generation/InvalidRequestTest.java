package dev.switchboard.app.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/** Every client mistake is a 4xx in OpenAI's error shape naming the parameter; none is a 5xx. */
class InvalidRequestTest extends ServingTestBase {

    private static final String M = "\"model\":\"" + ServingTest.MODEL + "\"";
    private static final String HELLO = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "n = 2                    | {" + M + "," + HELLO + ",\"n\":2}                              | n",
        "unknown role             | {" + M + ",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]} | messages[0].role",
        "empty messages           | {" + M + ",\"messages\":[]}                                   | messages",
        "missing messages         | {" + M + "}                                                   | messages",
        "missing model            | {" + HELLO + "}                                               | model",
        "image content            | {" + M + ",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]} | messages[0].content",
        "temperature as string    | {" + M + "," + HELLO + ",\"temperature\":\"hot\"}             | temperature",
        "temperature too high     | {" + M + "," + HELLO + ",\"temperature\":2.5}                 | temperature",
        "top_p zero               | {" + M + "," + HELLO + ",\"top_p\":0}                         | top_p",
        "max_tokens zero          | {" + M + "," + HELLO + ",\"max_tokens\":0}                    | max_tokens",
        "max_tokens fraction      | {" + M + "," + HELLO + ",\"max_tokens\":1.5}                  | max_tokens",
        "stop as number           | {" + M + "," + HELLO + ",\"stop\":7}                          | stop",
        "five stops               | {" + M + "," + HELLO + ",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]} | stop",
        "stream as string         | {" + M + "," + HELLO + ",\"stream\":\"yes\"}                  | stream",
        "stream_options no stream | {" + M + "," + HELLO + ",\"stream_options\":{\"include_usage\":true}} | stream_options",
        "tools                    | {" + M + "," + HELLO + ",\"tools\":[{\"type\":\"function\"}]} | tools",
        "response_format json     | {" + M + "," + HELLO + ",\"response_format\":{\"type\":\"json_object\"}} | response_format",
        "logprobs                 | {" + M + "," + HELLO + ",\"logprobs\":true}                   | logprobs",
        "penalty                  | {" + M + "," + HELLO + ",\"frequency_penalty\":0.5}           | frequency_penalty",
        "context overflow         | {" + M + "," + HELLO + ",\"max_tokens\":5000}                 | messages",
        // prompt + 2^31−1 wrapped negative in int arithmetic and passed the context check.
        "max_tokens int max       | {" + M + "," + HELLO + ",\"max_tokens\":2147483647}           | messages",
        "max_completion int max   | {" + M + "," + HELLO + ",\"max_completion_tokens\":2147483647} | messages",
    })
    void chatMistakesAre400NamingTheParameter(String name, String body, String param) {
        post("/v1/chat/completions", body).expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.error.type").isEqualTo("invalid_request_error")
                .jsonPath("$.error.param").isEqualTo(param)
                .jsonPath("$.error.message").isNotEmpty()
                .jsonPath("$.error").value(error -> assertThat(new java.util.TreeSet<Object>(((java.util.Map<?, ?>) error).keySet()))
                        .as("all four fields, null where unset").containsExactly("code", "message", "param", "type"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON        | {\"model\": ",
        "JSON array      | [1,2,3]",
        "JSON string     | \"hello\"",
    })
    void bodiesThatAreNotAJsonObjectAre400(String name, String body) {
        post("/v1/chat/completions", body).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error.type").isEqualTo("invalid_request_error").jsonPath("$.error.param").isEmpty();
    }

    @Test
    void completionMistakesNameThePrompt() {
        post("/v1/completions", "{" + M + "}").expectStatus().isBadRequest().expectBody().jsonPath("$.error.param").isEqualTo("prompt");
        post("/v1/completions", "{" + M + ",\"prompt\":[1,99999]}").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error.param").isEqualTo("prompt");
        post("/v1/completions", "{" + M + ",\"prompt\":[\"a\",\"b\"]}").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error.param").isEqualTo("prompt");
        post("/v1/completions", "{" + M + ",\"prompt\":\"x\",\"echo\":true}").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error.param").isEqualTo("echo");
    }

    @Test
    void contextOverflowKeepsTheMessageClientsParse() {
        post("/v1/completions", "{" + M + ",\"prompt\":\"x\",\"max_tokens\":4096}").expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.error.code").isEqualTo("context_length_exceeded")
                .jsonPath("$.error.message").value(m -> assertThat((String) m)
                        .startsWith("This model's maximum context length is 4096 tokens. However, you requested 4098 tokens"));
    }

    @Test
    void unknownModelIs404ModelNotFound() {
        post("/v1/chat/completions", "{\"model\":\"gpt-4\"," + HELLO + "}").expectStatus().isNotFound()
                .expectBody().jsonPath("$.error.code").isEqualTo("model_not_found").jsonPath("$.error.param").isEqualTo("model");
    }

    @Test
    void bodyOverTheLimitIs413WithOrWithoutContentLength() {
        String big = "{" + M + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(70 * 1024) + "\"}]}";
        post("/v1/chat/completions", big).expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.error.code").isEqualTo("content_too_large");
        // Chunked: no Content-Length, so the codec limit must catch it while reading.
        byte[] bytes = big.getBytes();
        Flux<org.springframework.core.io.buffer.DataBuffer> chunked = Flux.range(0, 8).map(i -> DefaultDataBufferFactory.sharedInstance
                .wrap(java.util.Arrays.copyOfRange(bytes, i * bytes.length / 8, (i + 1) * bytes.length / 8)));
        web.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .body(chunked, org.springframework.core.io.buffer.DataBuffer.class).exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.error.type").isEqualTo("invalid_request_error");
    }

    @Test
    void wrongMethodAndMissingBodyAreClientErrors() {
        web.get().uri("/v1/chat/completions").exchange().expectStatus().is4xxClientError()
                .expectBody().jsonPath("$.error.message").isNotEmpty();
        WebTestClient.ResponseSpec empty = web.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON).exchange();
        empty.expectStatus().isBadRequest().expectBody().jsonPath("$.error.type").isEqualTo("invalid_request_error");
    }
}
