package dev.switchboard.app.experts;


import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a plugin jar can be bad is refused with a reason in the API view and in the event record,
 * and the registry keeps serving the other plugins.
 */
class PluginFaultsTest {

    @TempDir
    Path dir;

    private final List<ExpertLifecycleEvent> events = new CopyOnWriteArrayList<>();
    private PluginRegistry registry;
    private TestPluginJars jars;

    @BeforeEach
    void openRegistry() {
        registry = new PluginRegistry(getClass().getClassLoader(), Duration.ofMillis(1500), events::add, () -> PluginDrain.NONE);
        registry.loadBuiltIns();
        jars = new TestPluginJars(dir);
    }

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    @Test
    void anEmptyFileIsRefused() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.jar"));

        assertFailed(registry.load(empty), "is empty (0 bytes)");
    }

    @Test
    void aCorruptJarIsRefused() throws Exception {
        Path good = jars.provider("acme", "1.0.0", "1.0", "", "acme-linear");
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(dir.resolve("truncated.jar"), java.util.Arrays.copyOf(bytes, bytes.length / 2));

        assertFailed(registry.load(truncated), "is not a readable jar");
    }

    @Test
    void aJarWithoutProviderIsRefused() throws Exception {
        assertFailed(registry.load(jars.withoutProvider()), "contains no expert provider");
    }

    @Test
    void aProviderForAnotherSpiMajorIsRefusedNamingBothVersions() throws Exception {
        PluginView view = registry.load(jars.provider("acme", "3.1.4", "2.0", "", "acme-linear"));

        assertFailed(view, "plugin acme@3.1.4 was built for expert SPI 2.0 but the host runs 1.2");
        assertThat(view.id()).isEqualTo("acme");
        assertThat(view.requiresSpi()).isEqualTo("2.0");
    }

    @Test
    void aProviderForANewerSpiMinorIsRefused() throws Exception {
        assertFailed(registry.load(jars.provider("acme", "1.0.0", "1.7", "", "acme-linear")),
                "was built for expert SPI 1.7 but the host runs the older 1.2");
    }

    @Test
    void aThrowingConstructorIsRefusedWithItsMessage() throws Exception {
        PluginView view = registry.load(jars.provider("acme", "1.0.0", "1.0",
                "throw new IllegalStateException(\"no licence key\");", "acme-linear"));

        assertFailed(view, "could not be constructed: IllegalStateException: no licence key");
    }

    @Test
    void aPluginCannotSeeTheApplicationsClasses() throws Exception {
        PluginView view = registry.load(jars.provider("acme", "1.0.0", "1.0",
                "try { Class.forName(\"org.slf4j.LoggerFactory\"); } catch (ClassNotFoundException e) { throw new IllegalStateException(\"isolated\"); }",
                "acme-linear"));

        assertFailed(view, "IllegalStateException: isolated");
    }

    @Test
    void aPluginThatHangsInInitIsRefusedAfterTheDeadline() throws Exception {
        long started = System.nanoTime();
        PluginView view = registry.load(jars.provider("sleepy", "1.0.0", "1.0",
                "try { Thread.sleep(60_000); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }",
                "sleepy-linear"));

        assertFailed(view, "did not finish initialising within 1500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aDuplicateIdIsRefusedAndTheFirstKeepsRunning() throws Exception {
        assertThat(registry.load(jars.provider("acme", "1.0.0", "1.0", "", "acme-linear")).state())
                .isEqualTo(PluginState.STARTED);

        PluginView second = registry.load(jars.provider("acme", "2.0.0", "1.0", "", "acme-other"));

        assertFailed(second, "duplicate plugin id 'acme': acme@2.0.0");
        assertThat(registry.kind("acme-linear")).isPresent();
        assertThat(registry.kind("acme-other")).isEmpty();
    }

    @Test
    void aKindNameThatABuiltInOwnsIsRefused() throws Exception {
        assertFailed(registry.load(jars.provider("impostor", "1.0.0", "1.0", "", "gelu-mlp")),
                "offers expert kind 'gelu-mlp', which gelu-mlp@0.1.0 already provides");
        assertThat(registry.requireKind("gelu-mlp").getClass().getName()).contains("TrackedKind");
    }

    private void assertFailed(PluginView view, String reason) {
        assertThat(view.state()).isEqualTo(PluginState.FAILED);
        assertThat(view.reason()).contains(reason);
        assertThat(registry.list()).contains(view);
        assertThat(events).last().satisfies(event -> {
            assertThat(event.kind()).isEqualTo(ExpertEventKind.PLUGIN_FAILED);
            assertThat(event.reason()).isEqualTo(view.reason());
        });
        // The built-ins are untouched by the refusal.
        assertThat(registry.kind("int8-swiglu")).isPresent();
    }
}
