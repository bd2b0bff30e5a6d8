package dev.switchboard.app.experts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The example plugin's contributed expert joins every layer of the served model (router rows from its
 * calibration text), receives tokens, and leaves again; and the expert set changes while a generation streams
 * without losing a token, with every step after the change routed through the new set.
 */
class ContributedExpertTest extends ExpertAdminTestBase {

    private static final String STREAM = "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"max_tokens\":64,"
            + "\"routing\":true,\"temperature\":0";

    @Test
    void theContributedExpertJoinsEveryLayerReceivesTokensAndLeavesAgain() throws Exception {
        String label = api.install(ExamplePlugin.jar(Files.createTempDirectory("example").resolve("example.jar")), ExamplePlugin.ID);

        JsonNode table = api.post("/api/admin/experts/contributed", ADD_EXAMPLE_EXPERT, 200);

        for (JsonNode layer : table.path("layers")) {
            assertThat(layer.path("numExperts").asInt()).isEqualTo(5);
            JsonNode added = layer.path("experts").path(4);
            assertThat(added.path("kind").asString()).isEqualTo(ExamplePlugin.KIND);
            assertThat(added.path("plugin").asString()).isEqualTo(label);
            assertThat(added.path("origin").asString()).isEqualTo(ExamplePlugin.ID + "/example-relu");
            assertThat(added.path("parameters").asLong()).isEqualTo(2L * 64 * 128);
            assertThat(added.path("selectionBias").asDouble()).isEqualTo(100.0);
        }
        JsonNode route = api.route("Hello there, how are you");
        for (int layer = 0; layer < 2; layer++) {
            assertThat(ExpertAdminClient.chosen(route, layer)).allSatisfy(experts -> assertThat(experts).contains(4));
        }
        assertThat(route.path("tokens").path(0).path("layers").path(0).path("probabilities").size()).isEqualTo(5);
        post("/v1/chat/completions", chat("\"max_tokens\":4")).expectStatus().isOk();
        awaitUsage(0, 4);
        api.post("/api/admin/experts/contributed", ADD_EXAMPLE_EXPERT, 409);

        table = api.delete("/api/admin/experts/contributed/" + ExamplePlugin.ID + "/example-relu", 200);

        for (JsonNode layer : table.path("layers")) {
            assertThat(layer.path("numExperts").asInt()).isEqualTo(4);
        }
        JsonNode after = api.route("Hello there, how are you");
        assertThat(after.path("tokens").path(0).path("layers").path(0).path("probabilities").size()).isEqualTo(4);
        assertThat(ExpertAdminClient.chosen(after, 0)).allSatisfy(experts -> assertThat(experts).allMatch(e -> e < 4));
        api.awaitEvent(e -> e.path("kind").asString().equals("ADDED") && e.path("expert").asInt() == 4
                && e.path("plugin").asString().equals(label));
        api.awaitEvent(e -> e.path("kind").asString().equals("REMOVED") && e.path("layer").asInt() == 1);
        api.awaitEvent(e -> e.path("kind").asString().equals("PLUGIN_STARTED") && e.path("plugin").asString().equals(label));
    }

    @Test
    void disablingAnExpertMidStreamLosesNoTokenAndLaterStepsNeverUseIt() throws Exception {
        List<int[][]> reference = ExpertAdminClient.routedTokens(ExpertAdminClient.chunks(api.stream(chat(STREAM))));
        int victim = reference.get(0)[0][0]; // greedy: the streamed run's first token is routed the same way

        int swappedAt = streamWithChangeAfter(12, () -> api.post("/api/admin/experts/layers/0/experts/" + victim + "/disable", "", 200));

        List<int[][]> tokens = lastStream;
        assertThat(tokens.get(0)[0]).as("before the swap").contains(victim);
        for (int t = swappedAt; t < tokens.size(); t++) {
            assertThat(tokens.get(t)[0]).as("token %d, after the swap", t).doesNotContain(victim).hasSize(2);
        }
    }

    @Test
    void unloadingThePluginMidStreamRemovesItsExpertAtAStepBoundaryWithoutLosingAToken() throws Exception {
        api.install(ExamplePlugin.jar(Files.createTempDirectory("example").resolve("example.jar")), ExamplePlugin.ID);
        api.post("/api/admin/experts/contributed", ADD_EXAMPLE_EXPERT, 200);

        int swappedAt = streamWithChangeAfter(12, () -> api.delete("/api/admin/plugins/" + ExamplePlugin.ID, 200));

        List<int[][]> tokens = lastStream;
        for (int t = 0; t < 12; t++) {
            assertThat(tokens.get(t)[0]).as("token %d, before the unload", t).contains(4);
        }
        for (int t = swappedAt; t < tokens.size(); t++) {
            for (int[] layer : tokens.get(t)) {
                assertThat(layer).as("token %d, after the unload", t).hasSize(2).doesNotContain(4);
            }
        }
        assertThat(api.table().path("layers").path(0).path("numExperts").asInt()).isEqualTo(4);
        api.awaitEvent(e -> e.path("kind").asString().equals("REMOVED")
                && e.path("reason").asString().contains("because plugin " + ExamplePlugin.ID + "@1.0.0 unloads"));
    }

    private List<int[][]> lastStream;

    /**
     * Streams up to 64 greedy tokens at about 25 ms a step, runs {@code change} once {@code steps} forward steps
     * have started, and checks that the stream completed whole: one streamed token (with its routing) per
     * forward step, as many as the usage reports, 64 with "length" unless the model chose EOS ("stop"; the
     * tiny random fixture does that now and then, which no request parameter can forbid). Answers the first
     * step index that certainly started after the change took effect: step i produces token i (step 0 is the
     * prefill).
     */
    private int streamWithChangeAfter(int steps, Runnable change) throws Exception {
        controls.reset();
        controls.stepDelay(25);
        CompletableFuture<String> body = CompletableFuture.supplyAsync(() -> api.stream(chat(STREAM)));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (controls.steps().size() < steps && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        change.run();
        int swappedAt = controls.steps().size(); // steps from this index on began after the change returned
        List<JsonNode> chunks = ExpertAdminClient.chunks(body.get(60, TimeUnit.SECONDS));
        lastStream = ExpertAdminClient.routedTokens(chunks);
        int completionTokens = chunks.get(chunks.size() - 1).path("usage").path("completion_tokens").asInt();
        assertThat(lastStream).as("no token lost: one per forward step").hasSize(controls.steps().size())
                .hasSize(completionTokens);
        assertThat(ExpertAdminClient.finishReason(chunks)).isEqualTo(lastStream.size() == 64 ? "length" : "stop");
        assertThat(swappedAt).as("the change landed mid-stream").isGreaterThanOrEqualTo(steps)
                .isLessThan(lastStream.size() - 4);
        return swappedAt;
    }

    /** Polls the stored statistics until expert {@code expert} of {@code layer} has tokens. */
    private void awaitUsage(int layer, int expert) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode rows = null;
        while (System.nanoTime() < deadline) {
            rows = ExpertAdminClient.JSON.readTree(anonymous.mutate()
                    .defaultHeader("Authorization", "Bearer " + ServingTest.ADMIN_TOKEN).build()
                    .get().uri("/api/stats/utilisation?model=" + ServingTest.MODEL).exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody());
            for (JsonNode row : rows) {
                if (row.path("layer").asInt() == layer && row.path("expert").asInt() == expert && row.path("anyChoice").asLong() > 0) {
                    return;
                }
            }
            ExpertAdminClient.sleep(500);
        }
        throw new AssertionError("expert " + expert + " of layer " + layer + " got no tokens in the stored statistics: " + rows);
    }
}
