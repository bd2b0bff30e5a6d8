package dev.switchboard.app.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code routing_override} extension ("what if", docs/API.md#routing-override) on the real fixture model
 * (2 layers, 4 experts, top-2): admin token only, validated with 400s naming the part, applied to the
 * request's own tokens in {@code /api/route} and both completion endpoints, invisible to a plain request
 * decoded in the same batched steps, and left out of the stored routing statistics.
 */
class WhatIfRoutingApiTest extends ServingTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MASK_0_K_1 = "\"routing_override\":{\"masked_experts\":[0],\"experts_per_token\":1}";

    private WebTestClient admin() {
        return anonymous.mutate().responseTimeout(Duration.ofSeconds(30))
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ServingTest.ADMIN_TOKEN).build();
    }

    private JsonNode adminPost(String uri, String body) {
        String answer = admin().post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(answer);
    }

    private WebTestClient.BodyContentSpec adminRefused(String body, int status) {
        return admin().post().uri("/api/route").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isEqualTo(status).expectBody();
    }

    private static String route(String override) {
        return "{\"input\":\"The quick brown fox jumps\",\"routing_override\":" + override + "}";
    }

    /** Every expert id of a trace of {@code /api/route}, per token and layer. */
    private static List<int[]> routedExperts(JsonNode trace) {
        List<int[]> out = new ArrayList<>();
        for (JsonNode token : trace.path("tokens")) {
            for (JsonNode layer : token.path("layers")) {
                out.add(layer.path("experts").valueStream().mapToInt(JsonNode::asInt).toArray());
            }
        }
        return out;
    }

    @Test
    void theRouteTraceShowsTheOverriddenRoutingMaskedExpertsGetNoTokenAndKExpertsPerToken() {
        List<int[]> plain = routedExperts(adminPost("/api/route", "{\"input\":\"The quick brown fox jumps\"}"));
        assertThat(plain).as("unmasked, expert 0 is chosen somewhere (else the test proves nothing)")
                .anySatisfy(experts -> assertThat(experts).contains(0));
        JsonNode whatIf = adminPost("/api/route", route("{\"masked_experts\":[0],\"experts_per_token\":1}"));
        assertThat(routedExperts(whatIf)).hasSameSizeAs(plain)
                .allSatisfy(experts -> assertThat(experts).hasSize(1).doesNotContain(0));
        assertThat(whatIf.path("tokens").path(0).path("layers").path(0).path("probabilities").path(0).asDouble()).isZero();
        List<int[]> three = routedExperts(adminPost("/api/route", route("{\"experts_per_token\":3}")));
        assertThat(three).allSatisfy(experts -> assertThat(experts).hasSize(3).doesNotHaveDuplicates());
        List<int[]> onlyLayerOne = routedExperts(adminPost("/api/route",
                route("{\"layers\":[{\"layer\":1,\"masked_experts\":[0,1,2]}]}")));
        for (int i = 1; i < onlyLayerOne.size(); i += 2) {
            assertThat(onlyLayerOne.get(i)).as("layer 1: only expert 3 is left").containsExactly(3);
        }
        List<int[]> biased = routedExperts(adminPost("/api/route", route("{\"logit_bias\":[0,0,50,0]}")));
        assertThat(biased).as("a bias of 50 on expert 2's logit makes it everyone's first choice")
                .allSatisfy(experts -> assertThat(experts[0]).isEqualTo(2));
    }

    @Test
    void bothCompletionEndpointsTakeTheOverride() {
        JsonNode chat = adminPost("/v1/chat/completions", chat("\"max_tokens\":3,\"temperature\":0,\"routing\":true," + MASK_0_K_1));
        JsonNode text = adminPost("/v1/completions", "{\"model\":\"" + ServingTest.MODEL + "\",\"prompt\":\"Hello\","
                + "\"max_tokens\":3,\"temperature\":0,\"routing\":true," + MASK_0_K_1 + "}");
        for (JsonNode answer : List.of(chat, text)) {
            JsonNode routed = answer.path("choices").path(0).path("routed_experts");
            assertThat(routed.size()).isPositive();
            for (JsonNode token : routed) {
                for (JsonNode layer : token) {
                    assertThat(layer.size()).isEqualTo(1);
                    assertThat(layer.path(0).asInt()).isNotZero();
                }
            }
        }
    }

    @Test
    void onlyTheAdminTokenMayOverrideRouting() {
        for (String uri : List.of("/api/route", "/v1/chat/completions", "/v1/completions")) {
            String body = uri.equals("/api/route") ? route("{\"experts_per_token\":1}")
                    : "{\"model\":\"" + ServingTest.MODEL + "\",\"prompt\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                            + "\"max_tokens\":1,\"routing_override\":{\"experts_per_token\":1}}";
            post(uri, body).expectStatus().isForbidden().expectBody()
                    .jsonPath("$.error.type").isEqualTo("permission_error")
                    .jsonPath("$.error.code").isEqualTo("insufficient_permissions")
                    .jsonPath("$.error.param").isEqualTo("routing_override")
                    .jsonPath("$.error.message").value(message -> assertThat((String) message).contains("admin token"));
        }
        post("/api/route", "{\"input\":\"x\",\"routing_override\":null}").expectStatus().isOk();
    }

    @Test
    void invalidOverridesAre400NamingThePart() {
        adminRefused(route("{\"experts_per_token\":0}"), 400).jsonPath("$.error.param").isEqualTo("routing_override.experts_per_token");
        adminRefused(route("{\"experts_per_token\":5}"), 400).jsonPath("$.error.message")
                .value(message -> assertThat((String) message).contains("between 1 and 4"));
        adminRefused(route("{\"experts_per_token\":1.5}"), 400).jsonPath("$.error.param").isEqualTo("routing_override.experts_per_token");
        adminRefused(route("{\"experts_per_token\":\"2\"}"), 400).jsonPath("$.error.param").isEqualTo("routing_override.experts_per_token");
        adminRefused(route("{\"masked_experts\":[4]}"), 400).jsonPath("$.error.param").isEqualTo("routing_override.masked_experts")
                .jsonPath("$.error.message").value(message -> assertThat((String) message).contains("expert 4").contains("0 to 3"));
        adminRefused(route("{\"masked_experts\":[-1]}"), 400).jsonPath("$.error.param").isEqualTo("routing_override.masked_experts");
        adminRefused(route("{\"layers\":[{\"layer\":2,\"masked_experts\":[1]}]}"), 400)
                .jsonPath("$.error.param").isEqualTo("routing_override.layers[0].layer");
        adminRefused(route("{\"layers\":[{\"layer\":0},{\"layer\":0}]}"), 400)
                .jsonPath("$.error.param").isEqualTo("routing_override.layers[1].layer");
        adminRefused(route("{\"layers\":[{\"masked_experts\":[1]}]}"), 400)
                .jsonPath("$.error.param").isEqualTo("routing_override.layers[0].layer");
        adminRefused(route("{\"masked_experts\":[0,1,2,3]}"), 400).jsonPath("$.error.message")
                .value(message -> assertThat((String) message).contains("no expert").contains("layer 0"));
        adminRefused(route("{\"masked_experts\":[0,1],\"layers\":[{\"layer\":1,\"masked_experts\":[2,3]}]}"), 400)
                .jsonPath("$.error.message").value(message -> assertThat((String) message).contains("layer 1"));
        adminRefused(route("{\"logit_bias\":[1e400,0,0,0]}"), 400).jsonPath("$.error.param").isEqualTo("routing_override.logit_bias")
                .jsonPath("$.error.message").value(message -> assertThat((String) message).contains("finite"));
        adminRefused(route("{\"logit_bias\":[1e39]}"), 400).jsonPath("$.error.param").isEqualTo("routing_override.logit_bias");
        adminRefused(route("{\"logit_bias\":[0,0,0,0,1]}"), 400).jsonPath("$.error.message")
                .value(message -> assertThat((String) message).contains("only 4 experts"));
        adminRefused(route("{\"logit_bias\":[\"big\"]}"), 400).jsonPath("$.error.param").isEqualTo("routing_override.logit_bias[0]");
        adminRefused(route("{\"mask\":[1]}"), 400).jsonPath("$.error.param").isEqualTo("routing_override.mask")
                .jsonPath("$.error.message").value(message -> assertThat((String) message).contains("masked_experts"));
        adminRefused(route("[1]"), 400).jsonPath("$.error.param").isEqualTo("routing_override");
        adminRefused(route("{\"masked_experts\":[0]}").replace("\"input\"", "\"model\":\"nope\",\"input\""), 404);
    }

    /**
     * A plain request decoded in the same batched steps as a what-if one (both running, one forward per step)
     * gets the text and routing it gets alone; the what-if request's own routing changed.
     */
    @Test
    void aPlainRequestBatchedWithAWhatIfRequestIsUnaffected() {
        String plainBody = chat("\"max_tokens\":8,\"temperature\":0,\"routing\":true");
        JsonNode alone = adminPost("/v1/chat/completions", plainBody);
        controls.reset();
        controls.stepDelay(15); // both requests are admitted before the first finishes, so they share decode steps
        WebClient client = WebClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ServingTest.ADMIN_TOKEN).build();
        Mono<String> whatIf = client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(chat("\"max_tokens\":8,\"temperature\":0,\"routing\":true," + MASK_0_K_1)).retrieve().bodyToMono(String.class);
        Mono<String> plain = client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(plainBody).retrieve().bodyToMono(String.class);
        var both = Mono.zip(whatIf, plain).block(Duration.ofSeconds(60));
        assertThat(controls.steps()).as("the two sequences were decoded in the same forward steps")
                .anySatisfy(step -> assertThat(step.inputLengths()).containsExactly(1, 1));
        // The shared ServingTest deadline (4 s) may end a run early on a loaded machine: compare what was generated.
        JsonNode batchedPlain = JSON.readTree(both.getT2()).path("choices").path(0);
        JsonNode alonePlain = alone.path("choices").path(0);
        JsonNode batchedRouting = batchedPlain.path("routed_experts");
        assertThat(batchedRouting.size()).as("tokens generated beside the what-if request").isGreaterThanOrEqualTo(2);
        for (int t = 0; t < batchedRouting.size(); t++) {
            assertThat(batchedRouting.path(t)).as("routing of token %d", t).isEqualTo(alonePlain.path("routed_experts").path(t));
        }
        assertThat(alonePlain.path("message").path("content").asString())
                .startsWith(batchedPlain.path("message").path("content").asString());
        JsonNode batchedWhatIf = JSON.readTree(both.getT1()).path("choices").path(0).path("routed_experts");
        assertThat(batchedWhatIf.size()).isPositive();
        batchedWhatIf.forEach(token -> token.forEach(layer -> assertThat(layer.size()).isEqualTo(1)));
    }

    /**
     * The routing statistics ({@code /api/stats}) describe the served model's routing: a what-if completion is not
     * counted, a plain one is. Each gets its own {@code metadata.domain}; the what-if one is sent first, so once the
     * plain one's window is stored, the what-if one's (the same or an earlier window) is stored too.
     */
    @Test
    void aWhatIfCompletionStaysOutOfTheRoutingStatistics() {
        String run = UUID.randomUUID().toString();
        String whatIfDomain = "what-if-" + run;
        String plainDomain = "plain-" + run;
        adminPost("/v1/chat/completions", chat("\"max_tokens\":3,\"temperature\":0,\"metadata\":{\"domain\":\""
                + whatIfDomain + "\"}," + MASK_0_K_1));
        adminPost("/v1/chat/completions", chat("\"max_tokens\":3,\"temperature\":0,\"metadata\":{\"domain\":\""
                + plainDomain + "\"}"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // a 10 s window, flushed every second
        List<String> domains = List.of();
        while (!domains.contains(plainDomain) && System.nanoTime() < deadline) {
            sleep(500);
            JsonNode rows = adminGet("/api/stats/domains?model=" + ServingTest.MODEL + "&layer=0");
            domains = rows.valueStream().filter(row -> row.path("assignments").asLong() > 0)
                    .map(row -> row.path("domain").asString()).toList();
        }
        assertThat(domains).as("the plain completion is counted").contains(plainDomain)
                .as("the what-if completion is not").doesNotContain(whatIfDomain);
    }

    private JsonNode adminGet(String uri) {
        return JSON.readTree(admin().get().uri(uri).exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the statistics", e);
        }
    }
}
