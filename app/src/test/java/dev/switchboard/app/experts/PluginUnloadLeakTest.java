package dev.switchboard.app.experts;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertSpec;
import dev.switchboard.spi.ExpertWeights;
import java.io.IOException;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading and unloading the example plugin 50 times leaves nothing behind: every plugin class loader is
 * collected, and loaded classes, Metaspace and native memory (RSS) return to the baseline taken after a
 * warm-up, within the margins stated below. Each cycle builds four experts holding 8 MiB of native weights
 * each, so a leak of experts (32 MiB a cycle, 1.6 GiB in all) or of class loaders (the plugin's classes a
 * cycle) would show far beyond the margins.
 */
class PluginUnloadLeakTest {

    private static final int CYCLES = 50;
    private static final int WARM_UP = 10;
    private static final int EXPERTS_PER_CYCLE = 4;
    private static final int D_MODEL = 512;
    private static final int D_FF = 2048; // w1 + w2 = 2 x 4 MiB of float32 per expert
    // Measured: +25..33 classes the JDK loads lazily in the first cycles after the baseline, then flat.
    // Leaked loaders keep the plugin's 3 classes each: +150 over 50 cycles.
    private static final int CLASS_MARGIN = 60;
    // Measured: about +6 KiB a cycle with every loader collected (JIT profiles of host code); a leaked loader
    // measured about +16 KiB a cycle (+800 KiB over 50 cycles).
    private static final long METASPACE_MARGIN = 512 * 1024;
    // Measured: +17..264 MiB (glibc arenas of PyTorch's threads, noisy); leaked experts add 32 MiB a cycle, 1.6 GiB
    // in all. The exact check is the live NDArray count below; RSS is the coarse one.
    private static final long RSS_MARGIN = 512L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void fiftyLoadUnloadCyclesReturnClassesMetaspaceAndNativeMemoryToBaseline() throws Exception {
        Path jar = ExamplePlugin.jar(dir.resolve("example.jar"));
        try (PluginRegistry registry = new PluginRegistry(getClass().getClassLoader(), Duration.ofSeconds(10), event -> {}, () -> PluginDrain.NONE);
                NDManager weightsManager = NDManager.newBaseManager(Device.cpu())) {
            ExpertWeights weights = randomWeights(weightsManager);
            for (int i = 0; i < WARM_UP; i++) {
                cycle(registry, jar, weights);
            }
            fullGc();
            Usage baseline = Usage.now();
            long[] arraysBefore = liveArrays();

            List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
            for (int i = 0; i < CYCLES; i++) {
                loaders.add(new WeakReference<>(cycle(registry, jar, weights)));
            }
            fullGc();
            Usage after = Usage.now();
            long[] arraysAfter = liveArrays();

            assertThat(loaders).as("plugin class loaders still reachable").allSatisfy(ref -> assertThat(ref.get()).isNull());
            assertThat(after.classes - baseline.classes).as("loaded classes above baseline").isLessThanOrEqualTo(CLASS_MARGIN);
            assertThat(after.metaspace - baseline.metaspace).as("Metaspace bytes above baseline").isLessThanOrEqualTo(METASPACE_MARGIN);
            assertThat(arraysAfter).as("live NDArrays (count, bytes) in the whole process").containsExactly(arraysBefore);
            assertThat(after.rss - baseline.rss).as("RSS bytes above baseline").isLessThanOrEqualTo(RSS_MARGIN);
            assertThat(registry.list()).extracting(PluginView::id).doesNotContain(ExamplePlugin.ID);
            System.err.printf("leak check over %d cycles: classes %+d, Metaspace %+d KiB, RSS %+d MiB%n", CYCLES,
                    after.classes - baseline.classes, (after.metaspace - baseline.metaspace) / 1024,
                    (after.rss - baseline.rss) / (1024 * 1024));
        }
    }

    /** Loads the jar, builds and runs experts from it, unloads it; returns the plugin's class loader. */
    private static ClassLoader cycle(PluginRegistry registry, Path jar, ExpertWeights weights) {
        assertThat(registry.load(jar).state()).isEqualTo(PluginState.STARTED);
        ClassLoader loader = registry.startedPlugins().stream()
                .filter(p -> p.id().equals(ExamplePlugin.ID)).findFirst().orElseThrow().resources();
        ExpertSpec spec = new ExpertSpec(D_MODEL, D_FF, DataType.FLOAT32, Device.cpu(), Map.of());
        try (NDManager step = NDManager.newBaseManager(Device.cpu())) {
            NDArray tokens = step.ones(new Shape(3, D_MODEL));
            for (int e = 0; e < EXPERTS_PER_CYCLE; e++) {
                Expert expert = registry.requireKind(ExamplePlugin.KIND).create(spec, weights);
                assertThat(expert.forward(tokens).getShape()).isEqualTo(new Shape(3, D_MODEL));
            }
        }
        assertThat(registry.unload(ExamplePlugin.ID).orElseThrow().state()).isEqualTo(PluginState.UNLOADED);
        return loader;
    }

    private static ExpertWeights randomWeights(NDManager manager) {
        NDArray w1 = manager.randomNormal(0, 0.02f, new Shape(D_FF, D_MODEL), DataType.FLOAT32);
        NDArray w2 = manager.randomNormal(0, 0.02f, new Shape(D_MODEL, D_FF), DataType.FLOAT32);
        return new ExpertWeights() {
            @Override
            public Set<String> names() {
                return Set.of("w1", "w2");
            }

            @Override
            public NDArray get(String name) {
                return name.equals("w1") ? w1 : w2;
            }
        };
    }

    /** Every NDArray held by any manager of the process: all base managers are children of DJL's system manager. */
    private static long[] liveArrays() {
        try (NDManager probe = NDManager.newBaseManager(Device.cpu())) {
            List<NDArray> arrays = probe.getParentManager().getManagedArrays();
            long bytes = arrays.stream().mapToLong(a -> a.size() * a.getDataType().getNumOfBytes()).sum();
            return new long[] {arrays.size(), bytes};
        }
    }

    private static void fullGc() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }

    private record Usage(long classes, long metaspace, long rss) {
        static Usage now() throws IOException {
            ClassLoadingMXBean classLoading = ManagementFactory.getClassLoadingMXBean();
            long metaspace = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getName().equals("Metaspace"))
                    .mapToLong(pool -> pool.getUsage().getUsed()).sum();
            return new Usage(classLoading.getLoadedClassCount(), metaspace, readRss());
        }

        private static long readRss() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            throw new IllegalStateException("no VmRSS in /proc/self/status");
        }
    }
}
