package dev.switchboard.app.experts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Where this feature announces a plugin or expert lifecycle change: as a Spring application event, in the thread
 * that made the change, after it took effect. Subscribers ({@code @EventListener} on {@link ExpertLifecycleEvent};
 * the statistics store them) must return quickly. The change has happened whatever a subscriber does, so a
 * subscriber that throws is logged, never passed back to the operation.
 */
@Component
public class ExpertEvents {

    private static final Logger log = LoggerFactory.getLogger(ExpertEvents.class);

    private final ApplicationEventPublisher publisher;

    ExpertEvents(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    void publish(ExpertLifecycleEvent event) {
        try {
            publisher.publishEvent(event);
        } catch (RuntimeException e) {
            log.warn("A subscriber failed on the {} event of {}", event.kind(), event.plugin() != null ? event.plugin() : event.modelId(), e);
        }
    }
}
