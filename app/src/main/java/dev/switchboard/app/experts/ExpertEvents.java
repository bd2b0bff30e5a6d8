package dev.switchboard.app.experts;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Where this feature announces a plugin or expert lifecycle change: as a Spring application event, in the thread
 * that made the change, after it took effect. Subscribers ({@code @EventListener} on {@link ExpertLifecycleEvent};
 * the statistics store them) must return quickly. The change has happened whatever a subscriber does: the
 * application's event multicaster logs a subscriber that throws and never passes it back here
 * ({@code system.ApplicationEvents}).
 */
@Component
public class ExpertEvents {

    private final ApplicationEventPublisher publisher;

    ExpertEvents(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    void publish(ExpertLifecycleEvent event) {
        publisher.publishEvent(event);
    }
}
