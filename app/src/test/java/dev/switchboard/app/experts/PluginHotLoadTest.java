package dev.switchboard.app.experts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.SwitchboardApplication;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.FileSystemUtils;

/**
 * The running application picks up a plugin jar copied into its watched folder (slowly, in two halves,
 * like a network copy), shows it through the admin API, drops it when the file is removed, and lists a
 * corrupt jar as refused with its reason, while the built-ins keep serving.
 */
@SpringBootTest(
        classes = SwitchboardApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
        "switchboard.security.admin-token=plugins-admin",
            "switchboard.data-dir=target/test-data/plugins",
            "switchboard.plugins-dir=" + PluginHotLoadTest.FOLDER,
            "switchboard.plugin-debounce=200ms",
            "switchboard.plugin-give-up-after=3s"
        })
@AutoConfigureWebTestClient
class PluginHotLoadTest {

    static final String FOLDER = "target/test-plugins/hot";
    private static final Duration WAIT = Duration.ofSeconds(20);

    WebTestClient web;

    @Autowired
    void adminClient(WebTestClient client) {
        // statistics and plugin administration are admin routes (RouteAccess)
        web = client.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer plugins-admin").build();
    }

    @BeforeAll
    static void emptyFolder() throws IOException {
        FileSystemUtils.deleteRecursively(Path.of(FOLDER));
        Files.createDirectories(Path.of(FOLDER));
    }

    @Test
    void aJarCopiedIntoTheFolderIsLoadedAndRemovingItUnloadsIt() throws Exception {
        Path built = ExamplePlugin.jar(Files.createTempDirectory("example").resolve("example.jar"));
        Path dropped = Path.of(FOLDER, "example-relu-mlp.jar");

        copySlowly(built, dropped);
        PluginView loaded = await(view -> view.id().equals(ExamplePlugin.ID) && view.state() == PluginState.STARTED);
        assertThat(loaded.kinds()).containsExactly(ExamplePlugin.KIND);
        assertThat(loaded.contributedExperts()).containsExactly("example-relu");
        assertThat(loaded.source()).endsWith("example-relu-mlp.jar");

        Files.delete(dropped);
        awaitAbsent(ExamplePlugin.ID);
        assertThat(plugins()).extracting(PluginView::id).contains("gelu-mlp", "int8-swiglu");
    }

    @Test
    void aCorruptJarIsListedAsFailedWithItsReason() throws Exception {
        Files.write(Path.of(FOLDER, "broken.jar"), "PK this is not a zip".getBytes());

        PluginView broken = await(view -> view.source().endsWith("broken.jar"));

        assertThat(broken.state()).isEqualTo(PluginState.FAILED);
        assertThat(broken.reason()).startsWith("is not a readable jar");
        Files.delete(Path.of(FOLDER, "broken.jar"));
        awaitAbsent("broken.jar");
    }

    @Test
    void unloadingABuiltInIsAConflictAndAnUnknownIdIsNotFound() {
        web.delete().uri("/api/admin/plugins/gelu-mlp").exchange().expectStatus().isEqualTo(409);
        web.delete().uri("/api/admin/plugins/no-such-plugin").exchange().expectStatus().isNotFound();
    }

    @Test
    void rescanLoadsAJarWithoutTheWatcherAndUnloadViaApi() throws Exception {
        Path dropped = Path.of(FOLDER, "rescanned.jar");
        Files.copy(ExamplePlugin.jar(Files.createTempDirectory("example").resolve("example.jar")), dropped,
                StandardCopyOption.REPLACE_EXISTING);

        web.post().uri("/api/admin/plugins/rescan").exchange().expectStatus().isOk();
        PluginView loaded = await(view -> view.source().endsWith("rescanned.jar") && view.state() == PluginState.STARTED);
        web.delete().uri("/api/admin/plugins/" + loaded.id()).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.state").isEqualTo("UNLOADED");

        Files.delete(dropped);
        awaitAbsent(loaded.id());
    }

    /** Writes the first half, pauses past the debounce, then the rest: the watcher must wait for the whole jar. */
    private static void copySlowly(Path from, Path to) throws Exception {
        byte[] bytes = Files.readAllBytes(from);
        try (OutputStream out = Files.newOutputStream(to)) {
            out.write(Arrays.copyOf(bytes, bytes.length / 2));
            out.flush();
            Thread.sleep(400);
            out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
        }
    }

    private List<PluginView> plugins() {
        return web.get().uri("/api/admin/plugins").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<PluginView>>() {}).returnResult().getResponseBody();
    }

    private PluginView await(Predicate<PluginView> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<PluginView> found = plugins().stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no plugin as expected within " + WAIT + "; plugins: " + plugins());
    }

    private void awaitAbsent(String id) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (plugins().stream().noneMatch(view -> view.id().equals(id))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("plugin " + id + " still listed after " + WAIT + ": " + plugins());
    }
}
