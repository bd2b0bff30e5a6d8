package dev.switchboard.app.generation;

import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A request inside the scheduler: its spec, its deadline, the events it receives and its cancel flag.
 * Events are emitted only by the inference thread; {@link #cancel()} may come from any thread and
 * takes effect at the next step boundary.
 */
final class GenerationJob {

    final String id;
    final GenerationSpec spec;
    final long arrivedNanos;
    final long deadlineNanos;
    private final Sinks.Many<GenerationEvent> sink = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final Runnable onRelease;
    private volatile boolean done;

    GenerationJob(GenerationSpec spec, long arrivedNanos, long deadlineNanos, Runnable onRelease) {
        this.id = spec.requestId();
        this.spec = spec;
        this.arrivedNanos = arrivedNanos;
        this.deadlineNanos = deadlineNanos;
        this.onRelease = onRelease;
    }

    /** Gives the job's admission slot back; idempotent. */
    void release() {
        if (released.compareAndSet(false, true)) {
            onRelease.run();
        }
    }

    /** The events; cancelling the subscription (client gone) cancels the job. Subscribe once. */
    Flux<GenerationEvent> events() {
        return sink.asFlux().doOnCancel(this::cancel);
    }

    void cancel() {
        cancelled.set(true);
    }

    boolean cancelled() {
        return cancelled.get();
    }

    boolean done() {
        return done;
    }

    void emit(GenerationEvent event) {
        sink.tryEmitNext(event);
        if (event instanceof GenerationEvent.Finished || event instanceof GenerationEvent.Failed) {
            done = true;
            sink.tryEmitComplete();
        }
    }
}
