package dev.switchboard.app.experts;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.fleet.FleetProperties;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.RequestBody;
import reactor.core.publisher.Flux;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Admin API for expert plugins. Under {@code /api/admin/**}, which the security configuration restricts
 * to the admin bearer token. Loading and unloading block (class loading, draining the model), so they run
 * off the event loop; the listing is lock-free and answers on it. Errors are OpenAI-shaped, and a 404 names
 * the unknown id and the known ones.
 */
@RestController
@RequestMapping("/api/admin/plugins")
class PluginAdminController {

    private final PluginRegistry registry;
    private final PluginFolder folder;
    private final SharedPlugins shared;
    private final DataSize maxSize;

    PluginAdminController(PluginRegistry registry, PluginFolder folder, SharedPlugins shared, FleetProperties fleet) {
        this.registry = registry;
        this.folder = folder;
        this.shared = shared;
        this.maxSize = fleet.pluginMaxSize();
    }

    /**
     * Uploads a plugin jar (the body's bytes, at most {@code switchboard.fleet.plugin-max-size}) for every replica:
     * loaded and checked here first, then stored in the database, from which the other replicas load it. 400 with
     * the reason when it is no loadable plugin, 409 when a plugin with its id is already stored, 413 when too large.
     */
    @PostMapping
    Mono<PluginView> upload(@io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The plugin jar's bytes",
            required = true, content = @Content(mediaType = "application/java-archive", schema = @Schema(type = "string", format = "binary")))
            @RequestBody Flux<DataBuffer> body) {
        return DataBufferUtils.join(body, (int) Math.min(Integer.MAX_VALUE, maxSize.toBytes()))
                .onErrorMap(DataBufferLimitException.class, tooLarge -> new ApiException(HttpStatus.PAYLOAD_TOO_LARGE,
                        "invalid_request_error", null, "plugin_too_large", "the plugin jar is larger than "
                                + maxSize.toMegabytes() + " MB (switchboard.fleet.plugin-max-size)", null))
                .switchIfEmpty(Mono.error(() -> ApiException.invalid(null, "the body is empty; send the plugin jar's bytes")))
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .publishOn(Schedulers.boundedElastic())
                .map(shared::upload);
    }

    /** Every plugin with its state, and the reason for each refused one. Lock-free: answers even while a load hangs. */
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

    /** Unloads and loads again the jar a plugin came from; also brings back a plugin unloaded by DELETE. */
    @PostMapping("/{id}/reload")
    Mono<PluginView> reload(@PathVariable String id) {
        return blocking(() -> {
            Optional<PluginView> plugin = find(id);
            if (plugin.isPresent() && Plugin.CLASSPATH.equals(plugin.get().source())) {
                throw ExpertErrors.conflict("plugin " + plugin.get().label() + " is built in");
            }
            Path jar = plugin.map(view -> Path.of(view.source())).or(() -> folder.unloadedJar(id))
                    .orElseThrow(() -> notFound(id));
            return folder.load(jar);
        });
    }

    /**
     * Unloads a plugin: its experts leave the model, then its code is released. A jar in the folder stays there; an
     * uploaded plugin is deleted from the database and unloaded by every replica.
     */
    @DeleteMapping("/{id}")
    Mono<PluginView> unload(@PathVariable String id) {
        return blocking(() -> {
            try {
                Optional<PluginView> uploaded = shared.delete(id);
                if (uploaded.isPresent()) {
                    return uploaded.get();
                }
                return folder.unload(id).orElseThrow(() -> notFound(id));
            } catch (IllegalStateException builtIn) {
                throw ExpertErrors.conflict(builtIn.getMessage());
            }
        });
    }

    private Optional<PluginView> find(String id) {
        return registry.list().stream().filter(view -> view.id().equals(id))
                .min((a, b) -> Boolean.compare(b.state() == PluginState.STARTED, a.state() == PluginState.STARTED));
    }

    private ApiException notFound(String id) {
        return ExpertErrors.notFound("id", "no plugin with id '" + id + "'; plugins: "
                + registry.list().stream().map(PluginView::id).toList());
    }

    private static <T> Mono<T> blocking(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }
}
