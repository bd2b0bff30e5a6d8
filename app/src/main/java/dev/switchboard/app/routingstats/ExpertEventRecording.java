package dev.switchboard.app.routingstats;

import dev.switchboard.app.experts.ExpertLifecycleEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Stores every plugin and expert lifecycle event the experts feature publishes in {@code expert_event}, through
 * the statistics recorder (which buffers, so this returns at once).
 */
@Component
class ExpertEventRecording {

    private final RoutingStatsRecorder recorder;

    ExpertEventRecording(RoutingStatsRecorder recorder) {
        this.recorder = recorder;
    }

    @EventListener
    void onEvent(ExpertLifecycleEvent event) {
        recorder.recordExpertEvent(event);
    }
}
