package dev.switchboard.app.experts;

import dev.switchboard.app.fleet.ExpertConfigurationState;
import dev.switchboard.app.fleet.FleetNotifications;
import dev.switchboard.app.fleet.FleetTask;
import dev.switchboard.app.fleet.Replica;
import dev.switchboard.app.model.ServedModel;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Keeps the served model's live expert table and the shared, versioned expert configuration in PostgreSQL in
 * step, in both directions:
 * <ul>
 *   <li>an edit made on this replica (admin API, plugin drain) is stored as the next version and announced
 *       with NOTIFY ({@link #publishLocalEdit}, called by {@link ExpertEdits} before the edit lock is released);</li>
 *   <li>a newer version stored by another replica is applied here between steps ({@link #sync}, on the fleet
 *       thread, woken by NOTIFY or the poll). When it cannot be applied (a plugin missing here, a kind that fails
 *       to build) nothing changes: this replica keeps serving its last good set and reports why, in its
 *       heartbeat, {@code /api/admin/instances} and readiness' details, and tries again at every poll.</li>
 * </ul>
 * Runs after the plugin sync ({@link Order}), so that a plugin uploaded with the change is loaded first.
 */
@Component
@Order(100)
class ExpertConfigurationSync implements FleetTask, ExpertConfigurationState, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ExpertConfigurationSync.class);

    private final ExpertEdits editor;
    private final ExpertConfigurationStore store;
    private final ExpertConfigurationApplier applier;
    private final LiveExpertConfiguration live;
    private final FleetNotifications notifications;
    private final Replica replica;
    private volatile long appliedVersion;
    private volatile @Nullable String applyError;
    private volatile @Nullable ServedModel attempted; // the model a sync has run for (readiness waits for one)
    private volatile boolean unpublished; // a local edit could not be stored yet
    private volatile boolean running;

    ExpertConfigurationSync(ExpertEdits editor, ExpertConfigurationStore store, ExpertConfigurationApplier applier,
            LiveExpertConfiguration live, FleetNotifications notifications, Replica replica) {
        this.editor = editor;
        this.store = store;
        this.applier = applier;
        this.live = live;
        this.notifications = notifications;
        this.replica = replica;
    }

    /**
     * Brings the live table to the newest stored version (or stores a local edit the database missed). The
     * database is read before the edit lock is taken, so a slow database does not hold up the admin's edits.
     */
    @Override
    public void sync() {
        Optional<ServedModel> current = editor.editable();
        if (current.isEmpty()) {
            return;
        }
        ServedModel served = current.get();
        try {
            if (unpublished) {
                editor.applyingShared(() -> {
                    publishLocalEdit();
                    return null;
                });
                return;
            }
            Optional<Desired> newest = newest(served);
            if (newest.isEmpty()
                    || (newest.get().version() <= appliedVersion && applyError == null && attempted == served)) {
                return; // unreachable, applied already, or older than what an edit here has stored since the read
            }
            editor.applyingShared(() -> {
                if (newest.get().version() >= appliedVersion) { // else an edit here stored a newer one meanwhile
                    apply(served, newest.get());
                }
                return null;
            });
        } finally {
            attempted = served;
        }
    }

    /**
     * Like {@link #sync}, on the caller's thread, so that an admin's change starts from the newest version.
     *
     * @throws dev.switchboard.app.errors.ApiException 409 when this replica cannot apply the newest version: a change
     *     made here would be stored over a configuration it does not run
     */
    void catchUp() {
        sync();
        String error = applyError;
        if (error != null) {
            throw ExpertErrors.conflict("replica " + replica.instanceId() + " does not run the shared expert configuration ("
                    + error + "); fix that here (load the plugin it needs) or make the change through a replica that runs it"
                    + " (GET /api/admin/instances)");
        }
    }

    /**
     * Stores the model as loaded as the next version and applies it here: the way out when a stored version can
     * no longer be applied (its plugin is gone for good), since changes are refused while it cannot.
     *
     * @return the version stored
     */
    long reset() {
        ServedModel served = editor.served();
        return editor.applyingShared(() -> {
            Desired newest = newest(served).orElseThrow(() -> dev.switchboard.app.errors.ApiException.unavailable(
                    "database_unavailable", "the expert configuration cannot be read; try again when the database answers", null));
            Desired reset = new Desired(newest.version() + 1, ExpertConfiguration.AS_LOADED);
            if (!store.insert(served.id(), reset.version(), reset.configuration(), replica.instanceId())) {
                throw ExpertErrors.conflict("the expert configuration changed while it was reset; try again");
            }
            log.info("Expert configuration of model {} reset to the model as loaded (v{})", served.id(), reset.version());
            notifications.publish("experts:" + served.id());
            apply(served, reset);
            return reset.version();
        });
    }

    /** A version of the configuration: the newest stored one, or 0, the model as loaded, when none is. */
    private record Desired(long version, ExpertConfiguration configuration) {}

    /** The newest version; empty when the database cannot be read now. */
    private Optional<Desired> newest(ServedModel served) {
        try {
            return Optional.of(store.latest(served.id()).map(stored -> new Desired(stored.version(), stored.configuration()))
                    .orElse(new Desired(0, ExpertConfiguration.AS_LOADED)));
        } catch (RuntimeException unreachable) {
            log.debug("Expert configuration not read ({}); next at the poll interval", unreachable.toString());
            return Optional.empty();
        }
    }

    /** Applies {@code desired}; call holding the edit lock. Failing changes nothing and is remembered. */
    private void apply(ServedModel served, Desired desired) {
        long version = desired.version();
        try {
            boolean changed = editor.applyingShared(() -> applier.apply(served, desired.configuration(),
                    "expert configuration v" + version));
            if (applyError != null || changed) {
                log.info("Applied expert configuration v{} of model {}{}", version, served.id(), changed ? "" : " (no change)");
            }
            appliedVersion = version;
            applyError = null;
        } catch (RuntimeException failed) {
            String reason = "expert configuration v" + version + " could not be applied: " + failed.getMessage();
            if (!Objects.equals(reason, applyError)) {
                log.warn("{}; serving the last good set (v{}) and trying again at every poll", reason, appliedVersion);
            }
            applyError = reason;
        }
    }

    /**
     * Stores the live table as the next version after an edit made here. When another replica stored a version
     * since this one last synced, the edit loses: the next sync applies the newer version over it.
     */
    void publishLocalEdit() {
        Optional<ServedModel> current = editor.editable();
        if (current.isEmpty() || !running) {
            return; // shutting down: plugins unloading with the process are no change of the configuration
        }
        ServedModel served = current.get();
        ExpertConfiguration now = live.read(served.experts());
        try {
            Desired newest = newest(served).orElseThrow(() -> new IllegalStateException("the database does not answer"));
            unpublished = false;
            if (newest.configuration().equals(now)) {
                appliedVersion = newest.version();
                applyError = null;
            } else if (newest.version() == appliedVersion
                    && store.insert(served.id(), newest.version() + 1, now, replica.instanceId())) {
                appliedVersion = newest.version() + 1;
                applyError = null;
                log.info("Stored expert configuration v{} of model {}", appliedVersion, served.id());
                notifications.publish("experts:" + served.id());
            } else {
                log.warn("Expert configuration of model {} changed on another replica (now past v{}) while it was edited"
                        + " here; applying the newer one", served.id(), newest.version());
                newest(served).ifPresent(newer -> apply(served, newer));
            }
        } catch (RuntimeException unreachable) {
            unpublished = true;
            log.warn("The expert change could not be stored ({}); it is stored at the next sync", unreachable.toString());
        }
    }

    /** Whether this replica has run a sync for the model it serves now (readiness waits for one). */
    boolean synced() {
        Optional<ServedModel> current = editor.editable();
        return current.isEmpty() || current.get() == attempted;
    }

    @Override
    public boolean wantsRunSoon() {
        return !synced();
    }

    @Override
    public Optional<String> modelId() {
        return editor.editable().map(ServedModel::id);
    }

    @Override
    public long appliedVersion() {
        return appliedVersion;
    }

    @Override
    public Optional<String> applyError() {
        return Optional.ofNullable(applyError);
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
