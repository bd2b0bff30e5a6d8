package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document describes every route the service maps: each operation is there, and each body it reads
 * and each 200 answer it writes has a schema with named properties (through {@code $ref}s, arrays and
 * {@code oneOf}), not a bare {@code string} or an empty object. Controllers that read their body as text or write
 * it by hand must say which record it is, or this fails.
 */
class OpenApiSchemaTest extends ServingTestBase {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private JsonNode document;

    @BeforeEach
    void readDocument() {
        // The first /v3/api-docs builds the document, which took over 30 s on a busy two-core machine.
        String body = anonymous.mutate().responseTimeout(Duration.ofSeconds(90)).build()
                .get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        document = JsonMapper.builder().build().readTree(body);
    }

    @Test
    void everyRouteHasSchemasForItsRequestAndResponseBodies() {
        List<String> checked = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            if (!method.getBeanType().getPackageName().startsWith("dev.switchboard")) {
                return; // springdoc's own routes
            }
            boolean readsBody = List.of(method.getMethodParameters()).stream()
                    .anyMatch((MethodParameter parameter) -> parameter.hasParameterAnnotation(RequestBody.class));
            for (var pattern : info.getPatternsCondition().getPatterns()) {
                for (var http : info.getMethodsCondition().getMethods()) {
                    String route = http + " " + pattern.getPatternString();
                    JsonNode operation = document.path("paths").path(pattern.getPatternString()).path(http.name().toLowerCase(Locale.ROOT));
                    if (operation.isMissingNode()) {
                        problems.add(route + ": not in /v3/api-docs");
                        continue;
                    }
                    if (readsBody) {
                        describes(operation.path("requestBody").path("content"), route + " request body", problems);
                    }
                    describes(operation.path("responses").path("200").path("content"), route + " response", problems);
                    checked.add(route);
                }
            }
        });
        assertThat(problems).isEmpty();
        assertThat(checked).contains("POST /v1/chat/completions", "POST /v1/completions", "GET /v1/models",
                "GET /v1/models/{id}", "POST /api/route", "GET /api/stats/live");
    }

    @Test
    void theOpenAiBodiesListTheirFieldsWithTheirJsonNames() {
        assertThat(properties("ChatCompletionRequest")).contains("messages", "model", "max_tokens", "max_completion_tokens",
                "temperature", "top_p", "seed", "stop", "stream", "stream_options", "routing", "metadata", "n", "tools");
        assertThat(properties("CompletionRequest")).contains("prompt", "model", "max_tokens", "echo", "suffix", "best_of");
        assertThat(properties("ChatCompletion")).containsExactly("id", "object", "created", "model", "system_fingerprint",
                "choices", "usage");
        assertThat(properties("ChatCompletionChoice")).contains("message", "finish_reason", "routed_experts", "routed_weights");
        assertThat(properties("ChatCompletionChunkChoice")).contains("delta", "finish_reason", "routed_experts");
        assertThat(properties("TextCompletionChoice")).contains("text", "finish_reason", "routed_weights");
        assertThat(properties("ModelList")).containsExactly("object", "data");
        assertThat(properties("RouteRequest")).containsExactly("model", "input", "messages", "routing_override");
    }

    /** {@code routing_override} is bound from a JSON tree, so its documented shape comes from its own record. */
    @Test
    void theRoutingOverrideIsDocumentedWithItsFields() {
        for (String body : List.of("ChatCompletionRequest", "CompletionRequest", "RouteRequest")) {
            assertThat(document.path("components").path("schemas").path(body).path("properties").path("routing_override")
                    .path("$ref").asString()).as(body).isEqualTo("#/components/schemas/RoutingOverride");
        }
        assertThat(properties("RoutingOverride")).containsExactly("experts_per_token", "masked_experts", "logit_bias", "layers");
        assertThat(properties("RoutingOverrideLayer")).containsExactly("layer", "masked_experts", "logit_bias");
    }

    @Test
    void calibrationAndHeldOutLossesAreDescribedUnderTheNamesTheDashboardTypesUse() {
        assertThat(properties("CalibrationRequest")).containsExactlyInAnyOrder("text", "other", "steps", "learningRate");
        assertThat(properties("CalibrationReport")).containsExactlyInAnyOrder("origin", "expert", "steps", "fitSeconds",
                "totalSeconds", "tokens", "otherSource", "withoutExpert", "heuristic", "calibrated", "configurationVersion");
        assertThat(properties("CalibrationRows")).containsExactlyInAnyOrder("calibration", "other", "calibrationLossChange",
                "otherLossChange");
        assertThat(properties("Contributed")).contains("gateRows");
        assertThat(properties("ModelEvaluationView")).containsExactlyInAnyOrder("model", "source", "report");
        assertThat(properties("HeldOutReport")).containsExactlyInAnyOrder("model", "recipe", "window", "windowsPerDomain",
                "measuredAt", "heldOut");
        assertThat(properties("HeldOutDomain")).containsExactlyInAnyOrder("domain", "windows", "tokens", "natsPerToken",
                "bitsPerByte");
    }

    private List<String> properties(String schema) {
        JsonNode properties = document.path("components").path("schemas").path(schema).path("properties");
        assertThat(properties.isObject()).as("schema %s has properties", schema).isTrue();
        return properties.propertyNames().stream().toList();
    }

    /** Every media type of {@code content} has a schema that reaches named properties. */
    private void describes(JsonNode content, String what, List<String> problems) {
        if (!content.isObject() || content.isEmpty()) {
            problems.add(what + ": no content");
            return;
        }
        for (var media : content.properties()) {
            if (!hasProperties(media.getValue().path("schema"), 0)) {
                problems.add(what + " (" + media.getKey() + "): schema " + media.getValue().path("schema") + " names no properties");
            }
        }
    }

    private boolean hasProperties(JsonNode schema, int depth) {
        if (depth > 8) {
            return false;
        }
        if (schema.has("$ref")) {
            String name = schema.path("$ref").asString().replace("#/components/schemas/", "");
            return hasProperties(document.path("components").path("schemas").path(name), depth + 1);
        }
        if (schema.has("items")) {
            return hasProperties(schema.path("items"), depth + 1);
        }
        if (schema.has("oneOf")) {
            for (JsonNode option : schema.path("oneOf")) {
                if (!hasProperties(option, depth + 1) && !option.has("type")) {
                    return false;
                }
            }
            return true;
        }
        if (depth == 0 && schema.path("type").asString().equals("string") && schema.path("format").asString().equals("binary")) {
            return true; // a file sent as the whole body (a plugin jar): bytes, described as such
        }
        return schema.path("properties").isObject() && !schema.path("properties").isEmpty();
    }
}
