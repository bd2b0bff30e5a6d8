package dev.switchboard.app.routingstats;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A change in an expert's life, reported through {@link RoutingStatsRecorder#recordExpertEvent}. The id
 * makes the write idempotent: a retried flush stores each event once.
 *
 * @param id unique event id
 * @param occurredAt when it happened
 * @param modelId the model, or null for an event not tied to one (a plugin that failed before binding)
 * @param layer the layer, or null when the event concerns every layer
 * @param expert the expert index, or null
 * @param plugin the plugin as {@code id@version}, or null for built-in experts
 * @param kind what happened
 * @param reason why, in words (required for {@link ExpertEventKind#FAILED})
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
        if (kind == ExpertEventKind.FAILED && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("A FAILED expert event needs a reason (model " + modelId
                    + ", layer " + layer + ", expert " + expert + ", plugin " + plugin + ")");
        }
    }

    /** An event with a fresh id. */
    public static ExpertLifecycleEvent of(Instant occurredAt, @Nullable String modelId, @Nullable Integer layer,
            @Nullable Integer expert, @Nullable String plugin, ExpertEventKind kind, @Nullable String reason) {
        return new ExpertLifecycleEvent(UUID.randomUUID(), occurredAt, modelId, layer, expert, plugin, kind, reason);
    }
}
