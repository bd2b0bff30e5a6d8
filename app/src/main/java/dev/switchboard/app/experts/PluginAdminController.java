package dev.switchboard.app.experts;

import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Admin API for expert plugins. Under {@code /api/admin/**}, which the security configuration restricts
 * to the admin bearer token. Loading and unloading block (class loading, draining the model), so they run
 * off the event loop.
 */
@RestController
@RequestMapping("/api/admin/plugins")
class PluginAdminController {

    private final PluginRegistry registry;
    private final PluginFolder folder;

    PluginAdminController(PluginRegistry registry, PluginFolder folder) {
        this.registry = registry;
        this.folder = folder;
    }

    /** Every plugin with its state, and the reason for each refused one. */
    @GetMapping
    List<PluginView> list() {
        return registry.list();
    }

    /** Brings the plugins in line with the folder now, without waiting for the watcher. */
    @PostMapping("/rescan")
    Mono<List<PluginView>> rescan() {
        return blocking(() -> {
            folder.rescan();
            return registry.list();
        });
    }

    /** Unloads and loads again the jar a plugin came from. */
    @PostMapping("/{id}/reload")
    Mono<PluginView> reload(@PathVariable String id) {
        return blocking(() -> {
            PluginView plugin = find(id);
            if (Plugin.CLASSPATH.equals(plugin.source())) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, "plugin " + plugin.label() + " is built in");
            }
            return registry.load(java.nio.file.Path.of(plugin.source()));
        });
    }

    /** Unloads a plugin: its experts leave the model, then its code is released. */
    @DeleteMapping("/{id}")
    Mono<PluginView> unload(@PathVariable String id) {
        return blocking(() -> {
            try {
                return registry.unload(id).orElseThrow(() -> notFound(id));
            } catch (IllegalStateException builtIn) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, builtIn.getMessage());
            }
        });
    }

    private PluginView find(String id) {
        return registry.list().stream().filter(view -> view.id().equals(id))
                .min((a, b) -> Boolean.compare(b.state() == PluginState.STARTED, a.state() == PluginState.STARTED))
                .orElseThrow(() -> notFound(id));
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no plugin with id '" + id + "'");
    }

    private static <T> Mono<T> blocking(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }
}
