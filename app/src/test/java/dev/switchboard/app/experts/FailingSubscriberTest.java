package dev.switchboard.app.experts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.system.ApplicationEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;

/**
 * A subscriber to the expert lifecycle events that throws cannot break the operation that published them: the
 * application's event multicaster ({@link ApplicationEvents}) logs the failure, the later subscribers still get the
 * event, and the publisher carries on.
 */
class FailingSubscriberTest {

    @TempDir
    Path dir;

    @Test
    void aThrowingSubscriberLeavesThePluginStartedAndTheOtherSubscribersInformed() throws Exception {
        Path jar = new TestPluginJars(dir).provider("acme", "1.0.0", "1.0", "", "acme-linear");
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(
                ApplicationEvents.class, ExpertEvents.class, Subscribers.class)) {
            ExpertEvents events = context.getBean(ExpertEvents.class);
            Subscribers subscribers = context.getBean(Subscribers.class);
            PluginRegistry registry = new PluginRegistry(getClass().getClassLoader(), Duration.ofSeconds(5),
                    events::publish, () -> PluginDrain.NONE);
            try {
                PluginView view = registry.load(jar);

                assertThat(view.state()).isEqualTo(PluginState.STARTED);
                assertThat(subscribers.failures).hasValue(3);
                assertThat(subscribers.received).extracting(ExpertLifecycleEvent::kind).containsExactly(
                        ExpertEventKind.PLUGIN_DISCOVERED, ExpertEventKind.PLUGIN_VALIDATED, ExpertEventKind.PLUGIN_STARTED);
            } finally {
                registry.close();
            }
        }
    }

    /** The first subscriber throws on every event; the second, called after it, records them. */
    static class Subscribers {

        final AtomicInteger failures = new AtomicInteger();
        final List<ExpertLifecycleEvent> received = new CopyOnWriteArrayList<>();

        @EventListener
        @Order(1)
        void fail(ExpertLifecycleEvent event) {
            failures.incrementAndGet();
            throw new IllegalStateException("a subscriber bug on " + event.kind());
        }

        @EventListener
        @Order(2)
        void record(ExpertLifecycleEvent event) {
            received.add(event);
        }
    }
}
