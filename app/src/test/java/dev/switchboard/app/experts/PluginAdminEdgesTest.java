package dev.switchboard.app.experts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The plugin admin API at its edges: a plugin unloaded by DELETE comes back with a rescan or a reload (its jar
 * stayed in the folder), an unknown id is a 404 that says so, the listing answers while a plugin hangs in its
 * initialisation, kind options reach the kind, the host closes each expert once, and a kind whose code fails
 * to link gets an answer instead of a request left hanging.
 */
class PluginAdminEdgesTest extends ExpertAdminTestBase {

    @TempDir
    Path work;

    @Test
    void aPluginUnloadedByDeleteComesBackWithRescanAndWithReload() throws Exception {
        api.install(ExamplePlugin.jar(work.resolve("example.jar")), ExamplePlugin.ID);

        assertThat(api.delete("/api/admin/plugins/" + ExamplePlugin.ID, 200).path("state").asString()).isEqualTo("UNLOADED");
        assertThat(ids(api.plugins())).doesNotContain(ExamplePlugin.ID);

        JsonNode rescanned = api.post("/api/admin/plugins/rescan", "", 200);
        assertThat(StreamSupport.stream(rescanned.spliterator(), false)
                .filter(p -> p.path("id").asString().equals(ExamplePlugin.ID)).map(p -> p.path("state").asString()))
                .as("the jar still in the folder is loaded again").containsExactly("STARTED");

        api.delete("/api/admin/plugins/" + ExamplePlugin.ID, 200);
        JsonNode reloaded = api.post("/api/admin/plugins/" + ExamplePlugin.ID + "/reload", "", 200);
        assertThat(reloaded.path("state").asString()).isEqualTo("STARTED");
        assertThat(reloaded.path("kinds").get(0).asString()).isEqualTo(ExamplePlugin.KIND);

        // Loaded by the reload, the jar is not loaded a second time by the next rescan (that would drain it).
        api.post("/api/admin/plugins/rescan", "", 200);
        assertThat(api.plugin(p -> p.path("id").asString().equals(ExamplePlugin.ID)).path("state").asString())
                .isEqualTo("STARTED");
    }

    @Test
    void anUnknownPluginIdIsA404ThatNamesTheIdAndTheKnownOnes() {
        for (JsonNode answer : new JsonNode[] {api.delete("/api/admin/plugins/no-such-plugin", 404),
                api.post("/api/admin/plugins/no-such-plugin/reload", "", 404)}) {
            JsonNode error = answer.path("error");
            assertThat(error.path("message").asString()).startsWith("no plugin with id 'no-such-plugin'; plugins: [")
                    .contains("gelu-mlp");
            assertThat(error.path("param").asString()).isEqualTo("id");
            assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        }
    }

    @Test
    void theListingAnswersWhileAPluginHangsInItsInitialisation() throws Exception {
        Path release = work.resolve("release");
        // The provider's constructor waits (up to 30 s, past the 10 s init deadline) until the test releases it.
        Path jar = new TestPluginJars(work).provider("hanging", "1.0.0", "1.0", """
                java.nio.file.Path release = java.nio.file.Path.of("%s");
                for (int i = 0; i < 3000 && !java.nio.file.Files.exists(release); i++) {
                    try { Thread.sleep(10); } catch (InterruptedException e) { Thread.currentThread().interrupt(); return; }
                }
                """.formatted(release.toAbsolutePath()), "hanging-linear");
        Files.copy(jar, Files.createDirectories(Path.of(ServingTest.PLUGINS)).resolve("hanging.jar"));

        CompletableFuture<JsonNode> rescan = CompletableFuture.supplyAsync(() -> api.post("/api/admin/plugins/rescan", "", 200));
        JsonNode listed = api.plugin(p -> p.path("source").asString().endsWith("hanging.jar"));

        assertThat(listed.path("state").asString()).as("listed while its constructor still runs").isEqualTo("DISCOVERED");
        assertThat(rescan).as("the rescan is still loading it").isNotDone();
        Files.createFile(release);
        JsonNode loaded = rescan.get(30, TimeUnit.SECONDS);
        assertThat(StreamSupport.stream(loaded.spliterator(), false).filter(p -> p.path("id").asString().equals("hanging"))
                .map(p -> p.path("state").asString())).containsExactly("STARTED");
    }

    @Test
    void kindOptionsReachTheKindWhenReplacingAndWhenAddingAContributedExpert() throws Exception {
        api.install(new TestPluginJars(work).optionedKind("optioned", "needs-scale"), "optioned");

        assertThat(message(api.post("/api/admin/experts/layers/0/replace", "{\"kind\":\"needs-scale\",\"expert\":1}", 400)))
                .contains("option 'scale' is required");
        assertThat(message(api.post("/api/admin/experts/layers/0/replace",
                "{\"kind\":\"needs-scale\",\"expert\":1,\"options\":{\"scale\":\"abc\"}}", 400)))
                .contains("option 'scale' must be a number, got 'abc'");
        JsonNode replaced = api.post("/api/admin/experts/layers/0/replace",
                "{\"kind\":\"needs-scale\",\"expert\":1,\"options\":{\"scale\":\"1.5\"}}", 200);
        assertThat(replaced.path("layers").path(0).path("experts").path(1).path("kind").asString()).isEqualTo("needs-scale");

        // The request's option replaces the one the plugin declares for its contributed expert...
        assertThat(message(api.post("/api/admin/experts/contributed",
                "{\"plugin\":\"optioned\",\"name\":\"scaled\",\"options\":{\"scale\":\"abc\"}}", 400)))
                .contains("option 'scale' must be a number, got 'abc'");
        // ...and without one, the plugin's own (scale=0.25) reaches the kind.
        JsonNode added = api.post("/api/admin/experts/contributed", "{\"plugin\":\"optioned\",\"name\":\"scaled\"}", 200);
        assertThat(added.path("layers").path(1).path("numExperts").asInt()).isEqualTo(5);
        assertThat(added.path("layers").path(1).path("experts").path(4).path("kind").asString()).isEqualTo("needs-scale");
        post("/v1/chat/completions", chat("\"max_tokens\":2")).expectStatus().isOk();
    }

    @Test
    void theHostClosesEachOfAPluginsExpertsExactlyOnce() throws Exception {
        api.install(new TestPluginJars(work).countingKind("counting", "counted"), "counting");

        // Layer 0's experts go in and out through a table swap; layer 1's are still live when the plugin unloads.
        api.post("/api/admin/experts/layers/0/replace", "{\"kind\":\"counted\"}", 200);
        api.post("/api/admin/experts/layers/1/replace", "{\"kind\":\"counted\"}", 200);
        api.post("/api/admin/experts/layers/0/replace", "{\"kind\":\"swiglu\"}", 200);
        api.delete("/api/admin/plugins/counting", 200);

        assertThat(Integer.getInteger("counting.created")).isEqualTo(8);
        assertThat(Integer.getInteger("counting.closed")).as("one close() per expert").isEqualTo(8);
    }

    @Test
    void aKindThatFailsToLinkIsAnsweredNotLeftHanging() throws Exception {
        api.install(new TestPluginJars(work).unlinkableKind("unlinkable", "unlinkable-kind"), "unlinkable");

        assertThat(message(api.post("/api/admin/experts/layers/0/replace", "{\"kind\":\"unlinkable-kind\",\"expert\":0}", 400)))
                .contains("could not run: java.lang.NoClassDefFoundError: com/acme/NativeKernel");
        assertThat(api.table().path("layers").path(0).path("experts").path(0).path("kind").asString()).isEqualTo("swiglu");
    }

    private static String message(JsonNode answer) {
        return answer.path("error").path("message").asString();
    }

    private static List<String> ids(JsonNode plugins) {
        return StreamSupport.stream(plugins.spliterator(), false).map(p -> p.path("id").asString()).toList();
    }
}
