package dev.switchboard.app.experts;

import dev.switchboard.app.routingstats.ExpertLifecycleEvent;
import dev.switchboard.app.routingstats.RoutingStatsRecorder;
import org.springframework.stereotype.Component;

/** Stores every plugin and expert lifecycle event in {@code expert_event} through the statistics recorder. */
@Component
class ExpertEventRecording implements ExpertLifecycleListener {

    private final RoutingStatsRecorder recorder;

    ExpertEventRecording(RoutingStatsRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void onEvent(ExpertLifecycleEvent event) {
        recorder.recordExpertEvent(event);
    }
}
