package dev.switchboard.app.experts;

import dev.switchboard.app.routingstats.ExpertLifecycleEvent;

/**
 * Receives every plugin and expert lifecycle event. Every Spring bean of this type is called, in the
 * thread that made the change, after the change took effect; a listener must return quickly and must not
 * throw (a throwing listener is logged and skipped). {@code ExpertEventRecording} stores them all in
 * {@code expert_event}.
 *
 * <p>Kinds ({@link dev.switchboard.app.routingstats.ExpertEventKind}): {@code PLUGIN_DISCOVERED},
 * {@code PLUGIN_VALIDATED}, {@code PLUGIN_STARTED}, {@code PLUGIN_DRAINING}, {@code PLUGIN_UNLOADED},
 * {@code PLUGIN_FAILED}; {@code DISABLED}, {@code ENABLED}, {@code REPLACED}, {@code ADDED},
 * {@code REMOVED}, {@code FAILED} (a forward that threw, isolated by the runtime).
 */
@FunctionalInterface
public interface ExpertLifecycleListener {

    void onEvent(ExpertLifecycleEvent event);
}
