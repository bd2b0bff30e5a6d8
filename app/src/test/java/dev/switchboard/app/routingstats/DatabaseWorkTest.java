package dev.switchboard.app.routingstats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The statistics' database work runs one piece at a time, in order, and a shutdown can cancel the one that waits. */
class DatabaseWorkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final DatabaseWork work = new DatabaseWork();

    @Test
    void aPieceStartsOnlyWhenThePreviousOneHasFinished() {
        List<String> log = new CopyOnWriteArrayList<>();
        Sinks.One<String> firstAnswer = Sinks.one();

        Mono<String> first = work.submit(Mono.fromRunnable(() -> log.add("first started")).then(firstAnswer.asMono()));
        Mono<String> second = work.submit(Mono.fromCallable(() -> {
            log.add("second started");
            return "second";
        }));

        assertThat(log).containsExactly("first started");
        firstAnswer.tryEmitValue("first");
        StepVerifier.create(first).expectNext("first").expectComplete().verify(WAIT);
        StepVerifier.create(second).expectNext("second").expectComplete().verify(WAIT);
        assertThat(log).containsExactly("first started", "second started");
    }

    @Test
    void aFailedPieceTellsItsSubmitterAndTheNextOneStillRuns() {
        Mono<String> failing = work.submit(Mono.error(new IllegalStateException("database gone")));
        Mono<String> next = work.submit(Mono.just("next"));

        StepVerifier.create(failing).expectErrorMessage("database gone").verify(WAIT);
        StepVerifier.create(next).expectNext("next").expectComplete().verify(WAIT);
    }

    @Test
    void anInterruptCancelsThePieceThatWaitsAndTheQueuedOnesStillRun() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Mono<String> waiting = work.submit(Mono.<String>never().doOnCancel(() -> cancelled.set(true)));
        Mono<String> queued = work.submit(Mono.just("after the interrupt"));

        work.interrupt();

        StepVerifier.create(waiting).expectComplete().verify(WAIT);
        assertThat(cancelled).isTrue();
        StepVerifier.create(queued).expectNext("after the interrupt").expectComplete().verify(WAIT);
    }
}
