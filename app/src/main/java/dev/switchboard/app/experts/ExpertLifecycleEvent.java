package dev.switchboard.app.experts;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to a plugin or to an expert of the loaded model, for the event record.
 *
 * @param time when it happened
 * @param action what happened, for example {@code plugin.started}, {@code plugin.failed},
 *     {@code expert.disabled}, {@code expert.added}; see {@link ExpertLifecycleListener} for the list
 * @param subject what it happened to: {@code id@version} or the jar file for a plugin,
 *     {@code layer 3 / expert 8} for an expert
 * @param detail the reason or the new value; empty when there is nothing to add
 */
public record ExpertLifecycleEvent(Instant time, String action, String subject, String detail) {

    public ExpertLifecycleEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
        detail = detail == null ? "" : detail;
    }

    static ExpertLifecycleEvent now(String action, String subject, String detail) {
        return new ExpertLifecycleEvent(Instant.now(), action, subject, detail);
    }
}
