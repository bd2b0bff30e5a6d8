package dev.switchboard.app.generation;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Graceful drain at shutdown, before the web server's own graceful shutdown (which would otherwise wait
 * out its whole timeout on open SSE streams, spring-boot #49275): readiness goes DOWN, new generations
 * get 503, accepted ones run on for up to {@code drainTimeout}, then any still running end with a
 * terminal chunk ({@code finish_reason: "length"}) and {@code [DONE]}.
 */
@Component
class ServingDrain implements SmartLifecycle {

    /** Above the web server's graceful-shutdown phase (DEFAULT_PHASE - 1024), so it stops first. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private static final Logger log = LoggerFactory.getLogger(ServingDrain.class);
    /** After the deadline, the longest wait for ended streams to send their last chunk (a step or two). */
    static final Duration END_WAIT = Duration.ofSeconds(2);

    private final GenerationScheduler scheduler;
    private final ApplicationEventPublisher events;
    private final Duration drainTimeout;
    private volatile boolean running;
    private volatile boolean drained;

    ServingDrain(GenerationScheduler scheduler, ApplicationEventPublisher events, ServingProperties limits) {
        this.scheduler = scheduler;
        this.events = events;
        this.drainTimeout = limits.drainTimeout();
    }

    @Override
    public void start() {
        if (drained) {
            AvailabilityChangeEvent.publish(events, this, ReadinessState.ACCEPTING_TRAFFIC); // restarted after a stop
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        drained = true;
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
        scheduler.beginDrain();
        int inFlight = scheduler.inFlight();
        log.info("Draining: readiness DOWN, new requests get 503, {} in flight get up to {} s", inFlight,
                drainTimeout.toSeconds());
        if (!awaitIdle(drainTimeout)) {
            log.warn("Drain deadline passed with {} requests in flight; ending them now", scheduler.inFlight());
            scheduler.endAll();
            awaitIdle(END_WAIT);
        }
        log.info("Drained");
    }

    private boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (scheduler.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return scheduler.inFlight() == 0;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
