package dev.switchboard.app.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/** Non-streamed chat and text completions against the real fixture model: shapes, parameters, lengths. */
class ChatCompletionTest extends ServingTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void chatAnswerHasOpenAisShapeAndConsistentUsage() {
        post("/v1/chat/completions", chat("\"max_tokens\":5,\"temperature\":0")).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").value(id -> assertThat((String) id).startsWith("chatcmpl-"))
                .jsonPath("$.object").isEqualTo("chat.completion")
                .jsonPath("$.created").isNumber()
                .jsonPath("$.model").isEqualTo(ServingTest.MODEL)
                .jsonPath("$.choices.length()").isEqualTo(1)
                .jsonPath("$.choices[0].index").isEqualTo(0)
                .jsonPath("$.choices[0].message.role").isEqualTo("assistant")
                .jsonPath("$.choices[0].message.content").isNotEmpty()
                .jsonPath("$.choices[0].logprobs").isEmpty()
                .jsonPath("$.choices[0].finish_reason").isEqualTo("length")
                .jsonPath("$.usage.completion_tokens").isEqualTo(5)
                .jsonPath("$.usage").value(usage -> {
                    Map<?, ?> u = (Map<?, ?>) usage;
                    assertThat(((Number) u.get("prompt_tokens")).intValue()).isGreaterThan(3);
                    assertThat(((Number) u.get("total_tokens")).intValue()).isEqualTo(
                            ((Number) u.get("prompt_tokens")).intValue() + ((Number) u.get("completion_tokens")).intValue());
                });
    }

    @ParameterizedTest
    @CsvSource({"max_tokens,3,3", "max_completion_tokens,4,4"})
    void bothLengthParametersLimitTheCompletion(String parameter, int value, int expected) {
        post("/v1/chat/completions", chat("\"" + parameter + "\":" + value + ",\"temperature\":0")).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.usage.completion_tokens").isEqualTo(expected)
                .jsonPath("$.choices[0].finish_reason").isEqualTo("length");
    }

    @Test
    void nullMaxTokensMeansTheDefaultNotAnError() {
        // The fixture's random weights rarely pick EOS; the default cap (1024) or EOS ends it, never an error.
        post("/v1/chat/completions", chat("\"max_tokens\":null,\"max_completion_tokens\":null,\"temperature\":0"))
                .expectStatus().isOk()
                .expectBody().jsonPath("$.choices[0].finish_reason").value(r -> assertThat(r).isIn("stop", "length"));
    }

    @Test
    void greedyAndSeededSamplingAreRepeatable() {
        String greedy = chat("\"max_tokens\":8,\"temperature\":0");
        assertThat(content(greedy)).isEqualTo(content(greedy));
        String seeded = chat("\"max_tokens\":8,\"temperature\":1.0,\"top_p\":0.9,\"seed\":42");
        assertThat(content(seeded)).isEqualTo(content(seeded));
    }

    @Test
    void stopStringEndsGenerationAndIsNotEmitted() {
        String full = content(chat("\"max_tokens\":12,\"temperature\":0"));
        assertThat(full.length()).as("greedy output long enough to cut").isGreaterThan(4);
        String stop = full.substring(2, 4);
        String expected = full.substring(0, full.indexOf(stop));
        post("/v1/chat/completions", chat("\"max_tokens\":12,\"temperature\":0,\"stop\":[\"" + json(stop) + "\"]"))
                .expectStatus().isOk().expectBody()
                .jsonPath("$.choices[0].message.content").isEqualTo(expected)
                .jsonPath("$.choices[0].finish_reason").isEqualTo("stop");
    }

    @Test
    void harmlessUnknownFieldsAreIgnored() {
        post("/v1/chat/completions", chat("\"max_tokens\":2,\"store\":false,\"metadata\":{\"domain\":\"code\"},"
                + "\"user\":\"u1\",\"service_tier\":\"auto\",\"n\":1,\"presence_penalty\":0,\"whatever\":{\"x\":1}"))
                .expectStatus().isOk();
    }

    @Test
    void textCompletionDefaultsToSixteenTokens() {
        post("/v1/completions", "{\"model\":\"" + ServingTest.MODEL + "\",\"prompt\":\"Once upon a time\",\"temperature\":0}")
                .expectStatus().isOk().expectBody()
                .jsonPath("$.id").value(id -> assertThat((String) id).startsWith("cmpl-"))
                .jsonPath("$.object").isEqualTo("text_completion")
                .jsonPath("$.choices[0].text").isNotEmpty()
                .jsonPath("$.choices[0].index").isEqualTo(0)
                .jsonPath("$.choices[0].finish_reason").value(r -> assertThat(r).isIn("stop", "length"))
                .jsonPath("$.usage.completion_tokens").value(n -> assertThat((Integer) n).isBetween(1, 16));
    }

    @Test
    void textCompletionAcceptsTokenIdsAndAOneElementBatch() {
        post("/v1/completions", "{\"model\":\"" + ServingTest.MODEL + "\",\"prompt\":[1,50,60,70],\"max_tokens\":2}")
                .expectStatus().isOk().expectBody().jsonPath("$.usage.prompt_tokens").isEqualTo(4);
        post("/v1/completions", "{\"model\":\"" + ServingTest.MODEL + "\",\"prompt\":[\"hi\"],\"max_tokens\":2}")
                .expectStatus().isOk();
    }

    @Test
    void routingExtensionAddsExpertsAndWeightsPerTokenLayerAndChoice() {
        post("/v1/chat/completions", chat("\"max_tokens\":4,\"temperature\":0,\"routing\":true")).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.choices[0].routed_experts.length()").isEqualTo(4)
                .jsonPath("$.choices[0].routed_experts[0].length()").isEqualTo(2)    // layers
                .jsonPath("$.choices[0].routed_experts[0][0].length()").isEqualTo(2) // k
                .jsonPath("$.choices[0].routed_weights[3][1].length()").isEqualTo(2)
                .jsonPath("$.choices[0].routed_experts[*][*][*]").value(ids ->
                        assertThat((Iterable<?>) ids).allSatisfy(id -> assertThat((Integer) id).isBetween(0, 3)))
                .jsonPath("$.choices[0].routed_weights[0][0]").value(w -> {
                    var weights = (java.util.List<?>) w;
                    double sum = ((Number) weights.get(0)).doubleValue() + ((Number) weights.get(1)).doubleValue();
                    assertThat(sum).as("Mixtral renormalises the top-k weights").isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
                });
    }

    @Test
    void withoutRoutingTheFieldIsAbsent() {
        post("/v1/chat/completions", chat("\"max_tokens\":2")).expectStatus().isOk()
                .expectBody().jsonPath("$.choices[0].routed_experts").doesNotExist();
    }

    private String content(String body) {
        String response = post("/v1/chat/completions", body).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(response).path("choices").path(0).path("message").path("content").asString();
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
