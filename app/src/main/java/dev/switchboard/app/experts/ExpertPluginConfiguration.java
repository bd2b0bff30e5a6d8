package dev.switchboard.app.experts;

import dev.switchboard.app.system.SwitchboardProperties;
import dev.switchboard.runtime.model.ExpertKindResolver;
import java.io.IOException;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Plugin loading at start-up: the built-in kinds from the class path, then every jar already in
 * {@code switchboard.plugins-dir}, then the folder watcher for what arrives later.
 *
 * <p>Settings (with defaults, not in {@link SwitchboardProperties} because only this feature reads them):
 * {@code switchboard.plugin-init-timeout} (10s), {@code switchboard.plugin-debounce} (500ms),
 * {@code switchboard.plugin-give-up-after} (10s).
 */
@Configuration(proxyBeanMethods = false)
class ExpertPluginConfiguration {

    @Bean(destroyMethod = "close")
    PluginRegistry pluginRegistry(
            ExpertEvents events, ObjectProvider<PluginDrain> drain,
            @Value("${switchboard.plugin-init-timeout:10s}") Duration initTimeout) {
        PluginRegistry registry = new PluginRegistry(ExpertPluginConfiguration.class.getClassLoader(), initTimeout,
                events::publish, () -> drain.getIfAvailable(() -> PluginDrain.NONE));
        registry.loadBuiltIns();
        return registry;
    }

    /** The kinds the served model builds its experts with: every expert is tracked by its plugin. */
    @Bean
    ExpertKindResolver servedExpertKinds(PluginRegistry registry) {
        return registry.kindResolver();
    }

    @Bean
    PluginFolder pluginFolder(SwitchboardProperties properties, PluginRegistry registry) throws IOException {
        PluginFolder folder = new PluginFolder(properties.pluginsDir(), registry);
        folder.rescan();
        return folder;
    }

    @Bean(destroyMethod = "close")
    PluginFolderWatcher pluginFolderWatcher(
            PluginFolder folder,
            @Value("${switchboard.plugin-debounce:500ms}") Duration debounce,
            @Value("${switchboard.plugin-give-up-after:10s}") Duration giveUpAfter) throws IOException {
        PluginFolderWatcher watcher = new PluginFolderWatcher(folder, debounce, giveUpAfter);
        watcher.start();
        return watcher;
    }
}
