package dev.switchboard.app.experts;

import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Admin API for the experts of the served model, under {@code /api/admin/**} (admin bearer token). Every
 * change answers the new expert table; errors are OpenAI-shaped 4xx (404 unknown layer, expert, plugin or
 * contributed expert; 400 unknown kind or weights of the wrong shape; 409 a change the current state forbids).
 * Changes block (building experts, waiting for a step boundary, storing the new version of the configuration the
 * replicas share), so they run off the event loop. Every change is applied by every replica serving the model
 * ({@link ExpertConfigurationSync}); the answer's {@code configurationVersion} is the version it created.
 */
@RestController
@RequestMapping("/api/admin/experts")
class ExpertAdminController {

    /**
     * Body of a replace: the kind to rebuild with, one expert (or null for every checkpoint expert of the layer),
     * and optional kind-specific options handed to the kind in {@code ExpertSpec.options}.
     */
    record ReplaceRequest(@Nullable String kind, @Nullable Integer expert, @Nullable Map<String, String> options) {}

    /** Body of an add: the plugin id, the contributed expert's name, an optional selection bias and kind options. */
    record AddRequest(@Nullable String plugin, @Nullable String name, @Nullable Float selectionBias,
            @Nullable Map<String, String> options) {}

    private final ExpertOperations experts;
    private final ContributedExpertOperations contributed;
    private final ExpertConfigurationSync shared;
    private final ContributedCalibration calibration;

    ExpertAdminController(ExpertOperations experts, ContributedExpertOperations contributed, ExpertConfigurationSync shared,
            ContributedCalibration calibration) {
        this.experts = experts;
        this.contributed = contributed;
        this.shared = shared;
        this.calibration = calibration;
    }

    /** Every layer's experts: kind, plugin, origin, parameters, memory, state, selection bias. */
    @GetMapping
    Mono<ExpertTableView> list() {
        return blocking(experts::list);
    }

    @PostMapping("/layers/{layer}/experts/{expert}/disable")
    Mono<ExpertTableView> disable(@PathVariable int layer, @PathVariable int expert) {
        return change(() -> experts.disable(layer, expert));
    }

    @PostMapping("/layers/{layer}/experts/{expert}/enable")
    Mono<ExpertTableView> enable(@PathVariable int layer, @PathVariable int expert) {
        return change(() -> experts.enable(layer, expert));
    }

    /**
     * Qwen2-MoE's shared expert is part of the model's weights, not a routed expert: it has no router row to mask and
     * runs on every token, so none of the lifecycle's operations applies to it. Answered here, rather than as a
     * malformed expert index, so that the reason is plain.
     */
    @PostMapping("/layers/{layer}/experts/shared/disable")
    Mono<ExpertTableView> disableShared(@PathVariable int layer) {
        throw sharedExpertRefusal(layer, "disabled");
    }

    @PostMapping("/layers/{layer}/experts/shared/enable")
    Mono<ExpertTableView> enableShared(@PathVariable int layer) {
        throw sharedExpertRefusal(layer, "enabled");
    }

    private static RuntimeException sharedExpertRefusal(int layer, String done) {
        return ExpertErrors.conflict("the shared expert of layer " + layer + " cannot be " + done + ": it is part of the"
                + " model's weights and runs on every token beside the routed experts, with its own sigmoid gate;"
                + " disable, enable and replace act on the routed experts 0..n-1 of a layer");
    }

    /** Rebuilds one or all checkpoint experts of a layer with another kind from the same weights. */
    @PostMapping("/layers/{layer}/replace")
    Mono<ExpertTableView> replace(@PathVariable int layer, @RequestBody ReplaceRequest request) {
        return change(() -> experts.replace(layer, request.expert(), required("kind", request.kind()),
                options(request.options())));
    }

    /** Adds a plugin's contributed expert to every layer. */
    @PostMapping("/contributed")
    Mono<ExpertTableView> add(@RequestBody AddRequest request) {
        return change(() -> contributed.add(required("plugin", request.plugin()), required("name", request.name()),
                request.selectionBias(), options(request.options())));
    }

    /**
     * Fits a contributed expert's router rows by gradient on the body's text, everything else frozen, installs them on
     * every replica and answers how they compare with the mean-input rows: 400 bad text or settings, 404 not in the
     * model, 409 disabled, changed meanwhile or another calibration running.
     */
    @PostMapping("/contributed/{plugin}/{name}/calibrate")
    Mono<CalibrationReport> calibrate(@PathVariable String plugin, @PathVariable String name,
            @RequestBody CalibrationRequest request) {
        return blocking(() -> {
            shared.catchUp();
            return calibration.calibrate(plugin, name, request);
        });
    }

    /** Removes a contributed expert from every layer. */
    @DeleteMapping("/contributed/{plugin}/{name}")
    Mono<ExpertTableView> remove(@PathVariable String plugin, @PathVariable String name) {
        return change(() -> contributed.remove(plugin, name));
    }

    private static String required(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw ExpertErrors.invalid(field, "'" + field + "' is required");
        }
        return value;
    }

    /** The options as a kind receives them: never null, no null keys or values (JSON {@code null} is refused). */
    private static Map<String, String> options(@Nullable Map<String, String> options) {
        if (options == null) {
            return Map.of();
        }
        options.forEach((key, value) -> {
            if (value == null) {
                throw ExpertErrors.invalid("options", "option '" + key + "' has no value; options are strings");
            }
        });
        return Map.copyOf(options);
    }

    /**
     * A change of the shared configuration: first brought to the newest version (409 when this replica cannot
     * apply it), then made here and stored as the next version, which the other replicas apply between their steps.
     */
    private Mono<ExpertTableView> change(Callable<ExpertTableView> work) {
        return blocking(() -> {
            shared.catchUp();
            return work.call();
        });
    }

    private static <T> Mono<T> blocking(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }
}
