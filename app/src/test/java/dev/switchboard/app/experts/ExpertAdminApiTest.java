package dev.switchboard.app.experts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.serving.EngineSequence;
import dev.switchboard.runtime.serving.RoutingCapture;
import dev.switchboard.runtime.serving.SequenceTokens;
import dev.switchboard.runtime.serving.ServingEngine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/admin/experts} on the served fixture model: disable and enable change what the router picks,
 * replacing a layer's kind keeps the logits close, bad input gets OpenAI-shaped 4xx, and an expert whose
 * forward throws at run time is isolated (state failed, event stored) while requests keep succeeding.
 */
class ExpertAdminApiTest extends ExpertAdminTestBase {

    private static final String PROMPT = "The quick brown fox jumps";

    @Test
    void aDisabledExpertIsNeverChosenAndIsChosenAgainOnceEnabled() {
        List<List<Integer>> before = ExpertAdminClient.chosen(api.route(PROMPT), 0);
        int victim = before.get(1).get(0);

        JsonNode table = api.post("/api/admin/experts/layers/0/experts/" + victim + "/disable", "", 200);

        assertThat(table.path("layers").path(0).path("experts").path(victim).path("state").asString()).isEqualTo("disabled");
        List<List<Integer>> disabled = ExpertAdminClient.chosen(api.route(PROMPT), 0);
        assertThat(disabled).allSatisfy(experts -> assertThat(experts).hasSize(2).doesNotContain(victim));

        api.post("/api/admin/experts/layers/0/experts/" + victim + "/enable", "", 200);

        assertThat(ExpertAdminClient.chosen(api.route(PROMPT), 0)).isEqualTo(before);
        api.awaitEvent(e -> e.path("kind").asString().equals("DISABLED") && e.path("expert").asInt() == victim
                && e.path("layer").asInt() == 0);
        api.awaitEvent(e -> e.path("kind").asString().equals("ENABLED") && e.path("expert").asInt() == victim);
    }

    /**
     * Tolerance 5e-2 on logits of magnitude ≈ 2: int8 per-channel weights differ from float32 by up to half a
     * quantisation step; docs/PERFORMANCE.md measured 1.7e-2 with every layer quantised.
     */
    @Test
    void replacingALayerWithInt8KeepsTheLogitsCloseAndShowsTheNewKind() {
        ServingEngine model = holder.current().orElseThrow().engine();
        float[] swiglu = promptLogits(model);

        JsonNode table = api.post("/api/admin/experts/layers/0/replace", "{\"kind\":\"int8-swiglu\"}", 200);

        for (JsonNode expert : table.path("layers").path(0).path("experts")) {
            assertThat(expert.path("kind").asString()).isEqualTo("int8-swiglu");
            assertThat(expert.path("plugin").asString()).startsWith("int8-swiglu@");
        }
        assertThat(table.path("layers").path(1).path("experts").path(0).path("kind").asString()).isEqualTo("swiglu");
        long int8Bytes = table.path("layers").path(0).path("experts").path(0).path("memoryBytes").asLong();
        long floatBytes = table.path("layers").path(1).path("experts").path(0).path("memoryBytes").asLong();
        assertThat(int8Bytes).isLessThan(floatBytes / 2);
        float[] int8 = promptLogits(model);
        float max = 0;
        for (int i = 0; i < swiglu.length; i++) {
            max = Math.max(max, Math.abs(swiglu[i] - int8[i]));
        }
        assertThat(max).isGreaterThan(0f).isLessThan(5e-2f);

        api.post("/api/admin/experts/layers/0/replace", "{\"kind\":\"swiglu\",\"expert\":2}", 200);
        JsonNode mixed = api.table().path("layers").path(0).path("experts");
        assertThat(mixed.path(2).path("kind").asString()).isEqualTo("swiglu");
        assertThat(mixed.path(1).path("kind").asString()).isEqualTo("int8-swiglu");
        api.awaitEvent(e -> e.path("kind").asString().equals("REPLACED") && e.path("reason").asString().equals("swiglu -> int8-swiglu"));
    }

    @Test
    void badInputGetsOpenAiShapedErrors(@TempDir Path work) throws Exception {
        assertThat(api.post("/api/admin/experts/layers/7/experts/0/disable", "", 404).path("error").path("param").asString())
                .isEqualTo("layer");
        assertThat(api.post("/api/admin/experts/layers/0/experts/9/enable", "", 404).path("error").path("message").asString())
                .contains("no expert 9 in layer 0");
        JsonNode unknownKind = api.post("/api/admin/experts/layers/0/replace", "{\"kind\":\"nope\"}", 400).path("error");
        assertThat(unknownKind.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(unknownKind.path("param").asString()).isEqualTo("kind");
        assertThat(unknownKind.path("message").asString()).contains("unknown expert kind 'nope'").contains("swiglu");
        assertThat(api.post("/api/admin/experts/contributed", "{\"plugin\":\"ghost\",\"name\":\"x\"}", 404)
                .path("error").path("param").asString()).isEqualTo("plugin");
        // a kind whose weights the checkpoint does not have: refused before anything changes
        api.install(new TestPluginJars(work).provider("linear-kind", "1.0.0", "1.0", "", "needs-w"), "linear-kind");
        assertThat(api.post("/api/admin/experts/layers/1/replace", "{\"kind\":\"needs-w\"}", 400).path("error").path("message")
                .asString()).contains("cannot build expert 0 of layer 1").contains("no expert weight 'w'");
        for (int e = 0; e < 2; e++) {
            api.post("/api/admin/experts/layers/0/experts/" + e + "/disable", "", 200);
        }
        assertThat(api.post("/api/admin/experts/layers/0/experts/2/disable", "", 409).path("error").path("message").asString())
                .contains("fewer than 2 (top-k) enabled experts");
        assertThat(api.table().path("layers").path(1).path("experts").path(0).path("kind").asString()).isEqualTo("swiglu");
    }

    @Test
    void anExpertWhoseForwardThrowsIsDisabledItsTokensRerouteAndAFailedEventIsStored(@TempDir Path work) throws Exception {
        api.install(new TestPluginJars(work).throwingKind("faulty", "always-throws"), "faulty");
        int victim = ExpertAdminClient.chosen(api.route(PROMPT), 0).get(1).get(0);

        api.post("/api/admin/experts/layers/0/replace", "{\"kind\":\"always-throws\",\"expert\":" + victim + "}", 200);
        post("/v1/chat/completions", chat("\"max_tokens\":6")).expectStatus().isOk()
                .expectBody().jsonPath("$.usage.completion_tokens").isNumber();

        JsonNode expert = api.table().path("layers").path(0).path("experts").path(victim);
        assertThat(expert.path("state").asString()).isEqualTo("failed");
        assertThat(expert.path("kind").asString()).isEqualTo("always-throws");
        assertThat(expert.path("reason").asString()).contains("simulated bug in always-throws");
        assertThat(ExpertAdminClient.chosen(api.route(PROMPT), 0))
                .allSatisfy(experts -> assertThat(experts).hasSize(2).doesNotContain(victim));
        JsonNode event = api.awaitEvent(e -> e.path("kind").asString().equals("FAILED") && e.path("expert").asInt() == victim);
        assertThat(event.path("reason").asString()).contains("simulated bug in always-throws");
        assertThat(event.path("plugin").asString()).isEqualTo("faulty@1.0.0");
        assertThat(event.path("model").isMissingNode() ? event.path("modelId").asString() : event.path("model").asString())
                .isEqualTo(dev.switchboard.app.ServingTest.MODEL);
    }

    private static float[] promptLogits(ServingEngine model) {
        try (EngineSequence sequence = model.newSequence()) {
            return model.step(List.of(new SequenceTokens(sequence, new int[] {1, 5, 9, 300, 42, 7})), RoutingCapture.NONE)
                    .logits().get(0);
        }
    }
}
