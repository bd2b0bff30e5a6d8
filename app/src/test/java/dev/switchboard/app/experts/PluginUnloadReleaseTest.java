package dev.switchboard.app.experts;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.spi.ExpertSpec;
import dev.switchboard.spi.ExpertWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unloading a plugin lets go of its files and threads (checklist #30; {@link PluginUnloadLeakTest} covers class
 * loaders, Metaspace and native memory): the watched jar is never held open, so it can be deleted at any time;
 * after unload neither it nor the private copy the class loader read is open, the copy is gone, and no thread
 * started for the plugin, or running with its class loader, is alive. Open files are read from
 * {@code /proc/self/fd}: on Linux {@code Files.delete} succeeds even on an open file, so deletability alone
 * would prove nothing.
 */
class PluginUnloadReleaseTest {

    private static final int D_MODEL = 8;
    private static final int D_FF = 16;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void unloadClosesThePluginsFilesAndEndsItsThreadsAndTheJarCanBeDeletedWhileLoaded() throws Exception {
        String name = "release-" + UUID.randomUUID() + ".jar";
        Path jar = ExamplePlugin.jar(dir.resolve(name));
        try (PluginRegistry registry = new PluginRegistry(getClass().getClassLoader(), Duration.ofSeconds(10), event -> {}, () -> PluginDrain.NONE);
                NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            assertThat(registry.load(jar).state()).isEqualTo(PluginState.STARTED);
            ClassLoader loader = registry.startedPlugins().stream()
                    .filter(p -> p.id().equals(ExamplePlugin.ID)).findFirst().orElseThrow().resources();
            runAnExpert(registry, manager);

            List<Path> openWhileLoaded = PluginFiles.openFilesEndingWith(name);
            assertThat(openWhileLoaded).as("the class loader reads a private copy, open while loaded")
                    .singleElement().satisfies(copy -> assertThat(copy).isNotEqualTo(jar));
            Path privateCopy = openWhileLoaded.get(0);
            Files.delete(jar); // an operator removing the file by hand while the plugin serves
            runAnExpert(registry, manager); // still runs: nothing of it is read from the watched file

            assertThat(registry.unload(ExamplePlugin.ID).orElseThrow().state()).isEqualTo(PluginState.UNLOADED);

            assertThat(PluginFiles.openFilesEndingWith(name)).as("files of the plugin still open after unload").isEmpty();
            assertThat(privateCopy).as("the private copy after unload").doesNotExist();
            assertThat(PluginFiles.threadsOf(name, loader)).as("threads of the plugin alive after unload").isEmpty();
            assertThat(registry.list()).extracting(PluginView::id).doesNotContain(ExamplePlugin.ID);
            assertThat(registry.load(jar).state()).as("loading the deleted jar is refused, not thrown")
                    .isEqualTo(PluginState.FAILED);
            assertThat(registry.unloadJar(jar)).as("and that refusal can be forgotten").isPresent();
            assertThat(registry.list()).extracting(PluginView::source).noneMatch(source -> source.endsWith(name));
        }
    }

    @Test
    void deletingTheJarFromTheWatchedFolderUnloadsThePluginAndReleasesItsFiles() throws Exception {
        String name = "watched-" + UUID.randomUUID() + ".jar";
        Path folderPath = Files.createDirectories(dir.resolve("plugins"));
        Path built = ExamplePlugin.jar(dir.resolve("built.jar"));
        try (PluginRegistry registry = new PluginRegistry(getClass().getClassLoader(), Duration.ofSeconds(10), event -> {}, () -> PluginDrain.NONE);
                PluginFolderWatcher watcher = new PluginFolderWatcher(new PluginFolder(folderPath, registry),
                        Duration.ofMillis(100), Duration.ofSeconds(3))) {
            watcher.start();
            Path jar = Files.copy(built, folderPath.resolve(name));
            await(() -> registry.startedPlugins().stream().anyMatch(p -> p.id().equals(ExamplePlugin.ID)));
            ClassLoader loader = registry.startedPlugins().get(0).resources();
            Path privateCopy = PluginFiles.openFilesEndingWith(name).stream().findFirst().orElseThrow();

            Files.delete(jar);
            await(() -> registry.list().isEmpty());

            assertThat(PluginFiles.openFilesEndingWith(name)).as("files of the plugin still open after unload").isEmpty();
            assertThat(privateCopy).as("the private copy after unload").doesNotExist();
            assertThat(PluginFiles.threadsOf(name, loader)).as("threads of the plugin alive after unload").isEmpty();
        }
    }

    private static void runAnExpert(PluginRegistry registry, NDManager manager) {
        ExpertSpec spec = new ExpertSpec(D_MODEL, D_FF, DataType.FLOAT32, Device.cpu(), Map.of());
        NDArray w1 = manager.randomNormal(new Shape(D_FF, D_MODEL));
        NDArray w2 = manager.randomNormal(new Shape(D_MODEL, D_FF));
        ExpertWeights weights = new ExpertWeights() {
            @Override
            public Set<String> names() {
                return Set.of("w1", "w2");
            }

            @Override
            public NDArray get(String weight) {
                return weight.equals("w1") ? w1 : w2;
            }
        };
        var expert = registry.requireKind(ExamplePlugin.KIND).create(spec, weights);
        assertThat(expert.forward(manager.ones(new Shape(2, D_MODEL))).getShape()).isEqualTo(new Shape(2, D_MODEL));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within %s", WAIT).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
