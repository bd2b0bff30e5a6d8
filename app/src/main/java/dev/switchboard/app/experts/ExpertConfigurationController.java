package dev.switchboard.app.experts;

import dev.switchboard.app.fleet.FleetProperties;
import dev.switchboard.app.fleet.ReplicaRepository;
import dev.switchboard.app.fleet.ReplicaView;
import dev.switchboard.app.model.ServedModel;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /api/admin/experts/configuration}: the newest shared expert configuration of the served model and
 * which replicas run it, from their heartbeats (so a replica shows as applied up to one poll interval late);
 * {@code DELETE} resets it to the model as loaded.
 */
@RestController
@RequestMapping("/api/admin/experts/configuration")
class ExpertConfigurationController {

    private final ExpertEdits editor;
    private final ExpertConfigurationSync sync;
    private final ExpertConfigurationStore store;
    private final ReplicaRepository replicas;
    private final FleetProperties fleet;
    private final Clock clock;

    ExpertConfigurationController(ExpertEdits editor, ExpertConfigurationSync sync, ExpertConfigurationStore store,
            ReplicaRepository replicas, FleetProperties fleet, Clock clock) {
        this.editor = editor;
        this.sync = sync;
        this.store = store;
        this.replicas = replicas;
        this.fleet = fleet;
        this.clock = clock;
    }

    @GetMapping
    Mono<ExpertConfigurationView> show() {
        return Mono.fromCallable(this::view).subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * Resets every replica's experts to the model as loaded (a new version with nothing rebuilt, added or
     * disabled): the way out when a stored version cannot be applied any more. Answers the new configuration.
     */
    @DeleteMapping
    Mono<ExpertConfigurationView> reset() {
        return Mono.fromCallable(() -> {
            sync.reset();
            return view();
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private ExpertConfigurationView view() {
        ServedModel served = editor.served();
        Optional<ExpertConfigurationStore.Stored> latest = store.latest(served.id());
        long version = latest.map(ExpertConfigurationStore.Stored::version).orElse(0L);
        List<ReplicaView> serving = replicas.live(clock.instant().minus(fleet.instanceExpiry())).stream()
                .filter(r -> served.id().equals(r.model())).toList();
        return new ExpertConfigurationView(served.id(), version,
                latest.map(ExpertConfigurationStore.Stored::changedAt).orElse(null),
                latest.map(ExpertConfigurationStore.Stored::changedBy).orElse(null),
                latest.map(ExpertConfigurationStore.Stored::configuration).orElse(ExpertConfiguration.AS_LOADED),
                serving.stream().filter(r -> r.expertConfigurationVersion() == version && r.expertConfigurationError() == null)
                        .map(ReplicaView::instance).toList(),
                serving.stream().filter(r -> r.expertConfigurationVersion() != version || r.expertConfigurationError() != null)
                        .map(r -> new ExpertConfigurationView.Pending(r.instance(), r.expertConfigurationVersion(),
                                r.expertConfigurationError())).toList());
    }
}
