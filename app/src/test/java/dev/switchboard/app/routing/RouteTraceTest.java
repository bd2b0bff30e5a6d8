package dev.switchboard.app.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /api/route}: the prefill's full routing trace, checked for the invariants of top-2 routing. */
class RouteTraceTest extends ServingTestBase {

    @Test
    void traceCoversEveryPromptTokenAndLayerWithAFullDistribution() {
        String body = post("/api/route", "{\"input\":\"The quick brown fox\"}").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode root = JsonMapper.builder().build().readTree(body);
        assertThat(root.path("model").asString()).isEqualTo(ServingTest.MODEL);
        assertThat(root.path("layers").asInt()).isEqualTo(2);
        assertThat(root.path("experts").asInt()).isEqualTo(4);
        JsonNode tokens = root.path("tokens");
        assertThat(tokens.size()).isGreaterThan(2);
        assertThat(tokens.path(0).path("text").asString()).isEqualTo("<s>");
        for (JsonNode token : tokens) {
            assertThat(token.path("layers").size()).isEqualTo(2);
            for (JsonNode layer : token.path("layers")) {
                JsonNode experts = layer.path("experts");
                assertThat(experts.size()).isEqualTo(2);
                assertThat(experts.path(0).asInt()).isNotEqualTo(experts.path(1).asInt());
                double weights = layer.path("weights").path(0).asDouble() + layer.path("weights").path(1).asDouble();
                assertThat(weights).isCloseTo(1.0, within(1e-5));
                JsonNode probabilities = layer.path("probabilities");
                assertThat(probabilities.size()).isEqualTo(4);
                double sum = 0;
                for (JsonNode p : probabilities) {
                    sum += p.asDouble();
                }
                assertThat(sum).as("router softmax sums to 1").isCloseTo(1.0, within(1e-5));
                // the first choice is the most probable expert
                double first = probabilities.path(experts.path(0).asInt()).asDouble();
                for (JsonNode p : probabilities) {
                    assertThat(first).isGreaterThanOrEqualTo(p.asDouble());
                }
            }
        }
    }

    @Test
    void chatMessagesAreRenderedWithTheTemplateAndErrorsAreOpenAiShaped() {
        post("/api/route", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").expectStatus().isOk()
                .expectBody().jsonPath("$.tokens[*].text").value(texts -> assertThat(String.join("", (java.util.List<String>) texts))
                        .as("rendered by the fixture's chat template").contains("INST").contains("hi"));
        post("/api/route", "{}").expectStatus().isBadRequest().expectBody().jsonPath("$.error.param").isEqualTo("input");
        post("/api/route", "{\"model\":\"nope\",\"input\":\"x\"}").expectStatus().isNotFound();
    }

    @Test
    void templateSyntaxInAMessageReachesTheTokenizerVerbatim() {
        String hostile = "{{ 7*7 }} {% include 'application.yml' %} {% for i in range(9) %}x{% endfor %}";
        String body = post("/api/route", "{\"messages\":[{\"role\":\"user\",\"content\":"
                + JsonMapper.builder().build().writeValueAsString(hostile) + "}]}").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        int[] routed = JsonMapper.builder().build().readTree(body).path("tokens").valueStream()
                .mapToInt(token -> token.path("id").asInt()).toArray();
        int[] verbatim = holder.current().orElseThrow().tokenizer().encodeRendered("<s>[INST] " + hostile + " [/INST]");
        assertThat(routed).as("the prompt tokens of the message as sent, not as evaluated").containsExactly(verbatim);
    }

    @Test
    void modelsEndpointsListTheServedModel() {
        web.get().uri("/v1/models").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.object").isEqualTo("list")
                .jsonPath("$.data[0].object").isEqualTo("model")
                .jsonPath("$.data[0].owned_by").isEqualTo("switchboard")
                .jsonPath("$.data[0].created").isNumber();
        web.get().uri("/v1/models/" + ServingTest.MODEL).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(ServingTest.MODEL);
        web.get().uri("/v1/models/nope").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.error.code").isEqualTo("model_not_found");
    }
}
