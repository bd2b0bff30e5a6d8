package dev.switchboard.app.experts;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A change in the life of an expert or an expert plugin. The one event type of the expert lifecycle: the plugin
 * registry and the expert admin operations publish it through {@link ExpertEvents}; the statistics store it in
 * {@code expert_event}. The id makes that write idempotent: a retried flush stores each event once.
 *
 * @param id unique event id
 * @param occurredAt when it happened
 * @param modelId the model, or null for an event not tied to one (a plugin that failed before binding)
 * @param layer the layer, or null when the event concerns every layer
 * @param expert the expert index, or null
 * @param plugin the plugin as {@code id@version}, or null for built-in experts
 * @param kind what happened
 * @param reason why, or the new value, in words (required for {@link ExpertEventKind#FAILED} and
 *     {@link ExpertEventKind#PLUGIN_FAILED})
 */
public record ExpertLifecycleEvent(
        UUID id,
        Instant occurredAt,
        @Nullable String modelId,
        @Nullable Integer layer,
        @Nullable Integer expert,
        @Nullable String plugin,
        ExpertEventKind kind,
        @Nullable String reason) {

    public ExpertLifecycleEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(kind, "kind");
        if (kind.needsReason() && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("A " + kind + " expert event needs a reason (model " + modelId
                    + ", layer " + layer + ", expert " + expert + ", plugin " + plugin + ")");
        }
    }

    /** An event with a fresh id. */
    public static ExpertLifecycleEvent of(Instant occurredAt, @Nullable String modelId, @Nullable Integer layer,
            @Nullable Integer expert, @Nullable String plugin, ExpertEventKind kind, @Nullable String reason) {
        return new ExpertLifecycleEvent(UUID.randomUUID(), occurredAt, modelId, layer, expert, plugin, kind, reason);
    }

    /** A plugin event, now. */
    public static ExpertLifecycleEvent ofPlugin(String plugin, ExpertEventKind kind, @Nullable String reason) {
        return of(Instant.now(), null, null, null, plugin, kind, reason == null || reason.isEmpty() ? null : reason);
    }

    /** An event about expert {@code expert} of {@code layer} of the served model, now. */
    public static ExpertLifecycleEvent ofExpert(String modelId, int layer, int expert, @Nullable String plugin,
            ExpertEventKind kind, @Nullable String reason) {
        return of(Instant.now(), modelId, layer, expert, plugin, kind, reason);
    }
}
