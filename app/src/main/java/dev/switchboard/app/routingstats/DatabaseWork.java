package dev.switchboard.app.routingstats;

import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The statistics' database work, one piece at a time in the order it was submitted, without a thread of its own:
 * each piece is a {@link Mono} subscribed when the one before it has finished, so a flush never overlaps another
 * flush or a retention run, and nothing waits while the database works. {@link #interrupt()} cancels the piece in
 * progress (shutdown: a write waiting on a slow database gives up, and what it would have written stays in memory).
 */
final class DatabaseWork {

    /** One piece of work and where its outcome goes. */
    private record Piece<T>(Mono<T> work, Sinks.One<T> outcome) {

        Mono<Void> run(Mono<Object> interrupted) {
            return work.takeUntilOther(interrupted)
                    .doOnNext(outcome::tryEmitValue)
                    .doOnError(outcome::tryEmitError)
                    .doFinally(signal -> outcome.tryEmitEmpty()) // cancelled, or done without a value
                    .onErrorResume(e -> Mono.empty()) // the submitter has the error; the queue goes on
                    .then();
        }
    }

    private final Sinks.Many<Piece<?>> queue = Sinks.many().unicast().onBackpressureBuffer();
    private final Sinks.Many<Object> interrupts = Sinks.many().multicast().directBestEffort();

    DatabaseWork() {
        queue.asFlux().concatMap(piece -> piece.run(interrupts.asFlux().next()), 1).subscribe();
    }

    /** Queues {@code work}; the result emits its outcome once it has run, empty when it was interrupted. */
    <T> Mono<T> submit(Mono<T> work) {
        Sinks.One<T> outcome = Sinks.one();
        queue.emitNext(new Piece<>(work, outcome), Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
        return outcome.asMono();
    }

    /** Cancels the piece of work in progress, if any; the queued ones still run. */
    void interrupt() {
        interrupts.tryEmitNext(Boolean.TRUE);
    }
}
