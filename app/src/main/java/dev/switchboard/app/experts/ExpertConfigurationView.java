package dev.switchboard.app.experts;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@code GET /api/admin/experts/configuration} shows: the newest shared expert configuration of the served
 * model and where each live replica serving it stands.
 *
 * @param model the served model's id
 * @param version the newest version (0: the model as loaded, nothing stored yet)
 * @param changedAt when it was stored; null for version 0
 * @param changedBy the instance that stored it; null for version 0
 * @param configuration what differs from the checkpoint: rebuilt kinds, contributed experts, disabled experts
 * @param appliedBy instances whose live table matches this version
 * @param pending instances that have not applied it yet, each with its version and, when it failed, the reason
 */
public record ExpertConfigurationView(String model, long version, @Nullable Instant changedAt, @Nullable String changedBy,
        ExpertConfiguration configuration, List<String> appliedBy, List<Pending> pending) {

    public ExpertConfigurationView {
        appliedBy = List.copyOf(appliedBy);
        pending = List.copyOf(pending);
    }

    /** A replica behind the newest version: the version it runs and why it did not apply the newest, if it failed. */
    public record Pending(String instance, long appliedVersion, @Nullable String error) {}
}
