package dev.switchboard.app.experts;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertSpec;
import dev.switchboard.spi.ExpertWeights;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Built-ins from the class path and jars in their own class loaders, through the lifecycle phases. */
class PluginLoadingTest {

    @TempDir
    Path dir;

    private final List<ExpertLifecycleEvent> events = new CopyOnWriteArrayList<>();
    private PluginDrain drain = PluginDrain.NONE;
    private PluginRegistry registry;
    private NDManager manager;

    @BeforeEach
    void open() {
        registry = new PluginRegistry(getClass().getClassLoader(), Duration.ofSeconds(5), events::add, () -> drain);
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        registry.close();
        manager.close();
    }

    @Test
    void builtInKindsAreStartedFromTheClassPath() {
        List<PluginView> builtIns = registry.loadBuiltIns();

        assertThat(builtIns).extracting(PluginView::id).contains("gelu-mlp", "int8-swiglu");
        assertThat(builtIns).allSatisfy(view -> {
            assertThat(view.state()).isEqualTo(PluginState.STARTED);
            assertThat(view.source()).isEqualTo("classpath");
        });
        assertThat(registry.requireKind("int8-swiglu").weightNames()).containsExactlyInAnyOrder("w1", "w2", "w3");
        assertThat(registry.kindResolver().knownNames()).contains("swiglu", "gelu-mlp", "int8-swiglu");
        assertThat(registry.kindResolver().find("swiglu")).containsInstanceOf(TrackedKind.class);
    }

    @Test
    void aJarIsStartedInItsOwnClassLoaderThroughEveryPhase() throws Exception {
        Path jar = new TestPluginJars(dir).provider("acme", "1.2.0", "1.0", "", "acme-linear");

        PluginView view = registry.load(jar);

        assertThat(view.state()).isEqualTo(PluginState.STARTED);
        assertThat(view.label()).isEqualTo("acme@1.2.0");
        assertThat(view.kinds()).containsExactly("acme-linear");
        assertThat(events).extracting(ExpertLifecycleEvent::kind)
                .containsExactly(ExpertEventKind.PLUGIN_DISCOVERED, ExpertEventKind.PLUGIN_VALIDATED, ExpertEventKind.PLUGIN_STARTED);
        Object provider = registry.startedPlugins().get(0).resources();
        assertThat(provider).isInstanceOf(PluginClassLoader.class);
    }

    @Test
    void aPluginExpertRunsAndIsClosedByUnload() throws Exception {
        registry.load(new TestPluginJars(dir).provider("acme", "1.0.0", "1.0", "", "acme-linear"));
        ExpertKind kind = registry.requireKind("acme-linear");
        Expert expert = kind.create(new ExpertSpec(2, 2, DataType.FLOAT32, Device.cpu(), Map.of()),
                weights(manager.create(new float[] {2, 0, 0, 3}, new Shape(2, 2))));

        NDArray y = expert.forward(manager.create(new float[] {1, 1}, new Shape(1, 2)));

        assertThat(y.toFloatArray()).containsExactly(2f, 3f);
        assertThat(PluginRegistry.pluginOf(expert)).contains("acme@1.0.0");
        assertThat(registry.list()).filteredOn(v -> v.id().equals("acme")).singleElement()
                .extracting(PluginView::liveExperts).isEqualTo(1);

        var drained = new CopyOnWriteArrayList<Set<Expert>>();
        drain = (label, experts) -> drained.add(experts);
        PluginView unloaded = registry.unload("acme").orElseThrow();

        assertThat(unloaded.state()).isEqualTo(PluginState.UNLOADED);
        assertThat(drained).containsExactly(Set.of(expert));
        assertThat(unloaded.liveExperts()).isZero();
        assertThat(registry.kind("acme-linear")).isEmpty();
        assertThat(registry.list()).extracting(PluginView::id).doesNotContain("acme");
        assertThat(events).extracting(ExpertLifecycleEvent::kind).endsWith(ExpertEventKind.PLUGIN_DRAINING, ExpertEventKind.PLUGIN_UNLOADED);
        assertThatThrownBy(() -> kind.create(new ExpertSpec(2, 2, DataType.FLOAT32, Device.cpu(), Map.of()),
                weights(manager.create(new float[4], new Shape(2, 2)))))
                .hasMessageContaining("acme@1.0.0 is UNLOADED");
    }

    @Test
    void builtInsCannotBeUnloaded() {
        registry.loadBuiltIns();

        assertThatThrownBy(() -> registry.unload("gelu-mlp"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gelu-mlp@0.1.0 is built in");
    }

    private static ExpertWeights weights(NDArray w) {
        return new ExpertWeights() {
            @Override
            public Set<String> names() {
                return Set.of("w");
            }

            @Override
            public NDArray get(String name) {
                return w;
            }
        };
    }
}
