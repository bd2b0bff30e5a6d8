package dev.switchboard.app.experts;

/**
 * Receives every plugin and expert lifecycle event. Every Spring bean of this type is called, in the
 * thread that made the change, after the change took effect; a listener must return quickly and must not
 * throw (a throwing listener is logged and skipped).
 *
 * <p>Actions: {@code plugin.discovered}, {@code plugin.validated}, {@code plugin.started},
 * {@code plugin.draining}, {@code plugin.unloaded}, {@code plugin.failed};
 * {@code expert.disabled}, {@code expert.enabled}, {@code expert.replaced}, {@code expert.added},
 * {@code expert.removed}, {@code expert.failed} (a forward that threw, isolated by the runtime).
 */
@FunctionalInterface
public interface ExpertLifecycleListener {

    void onEvent(ExpertLifecycleEvent event);
}
