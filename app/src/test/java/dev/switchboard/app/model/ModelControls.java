package dev.switchboard.app.model;

import dev.switchboard.runtime.routing.RoutingOverride;
import dev.switchboard.runtime.serving.EngineSequence;
import dev.switchboard.runtime.serving.RoutingCapture;
import dev.switchboard.runtime.serving.SequenceTokens;
import dev.switchboard.runtime.serving.ServingEngine;
import dev.switchboard.runtime.serving.StepOutcome;
import dev.switchboard.runtime.tokenizer.TextStream;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.scheduler.Schedulers;

/**
 * Test knobs around the real {@link ServingEngine}: a delay per forward step, a fault injected into the n-th
 * next step, and a log of every step (thread, phase sizes), of open KV caches and of the threads prompts were
 * tokenized on.
 */
public class ModelControls {

    /**
     * One forward call as the engine saw it.
     *
     * @param sequenceIds per input, which sequence it extends: sequences are numbered from 1 in the order they were made
     */
    public record Step(String thread, boolean nonBlockingThread, int[] inputLengths, RoutingCapture capture, int[] sequenceIds) {}

    private final List<Step> steps = new CopyOnWriteArrayList<>();
    private final List<String> tokenizingThreads = new CopyOnWriteArrayList<>();
    private final AtomicInteger openSequences = new AtomicInteger();
    private final AtomicInteger sequencesMade = new AtomicInteger();
    private final AtomicInteger failInSteps = new AtomicInteger(-1);
    private volatile long stepDelayMillis;
    private volatile long prefillDelayMillis;

    public void reset() {
        steps.clear();
        tokenizingThreads.clear();
        failInSteps.set(-1);
        stepDelayMillis = 0;
        prefillDelayMillis = 0;
    }

    /** Every forward step sleeps this long (on the inference thread). */
    public void stepDelay(long millis) {
        stepDelayMillis = millis;
    }

    /** Steps that feed more than one token per input (prefills) sleep this long instead. */
    public void prefillDelay(long millis) {
        prefillDelayMillis = millis;
    }

    /** The {@code n}-th forward from now (1 = the next) throws. */
    public void failStep(int n) {
        failInSteps.set(n);
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** The threads prompts were tokenized on, with " (non-blocking)" after a Reactor/Netty event-loop thread's name. */
    public List<String> tokenizingThreads() {
        return List.copyOf(tokenizingThreads);
    }

    /** KV caches created and not yet closed. */
    public int openSequences() {
        return openSequences.get();
    }

    ModelTokenizer wrap(ModelTokenizer real) {
        return new ModelTokenizer() {
            @Override
            public int[] encodePrompt(String text) {
                recordTokenizingThread();
                return real.encodePrompt(text);
            }

            @Override
            public int[] encodeRendered(String text) {
                recordTokenizingThread();
                return real.encodeRendered(text);
            }

            @Override
            public int longestPieceChars() {
                return real.longestPieceChars();
            }

            @Override
            public String tokenText(int tokenId) {
                return real.tokenText(tokenId);
            }

            @Override
            public TextStream textStream() {
                return real.textStream();
            }
        };
    }

    private void recordTokenizingThread() {
        Thread thread = Thread.currentThread();
        tokenizingThreads.add(thread.getName() + (Schedulers.isInNonBlockingThread() ? " (non-blocking)" : ""));
    }

    ServingEngine wrap(ServingEngine real) {
        return new ServingEngine() {
            @Override
            public EngineSequence newSequence() {
                openSequences.incrementAndGet();
                return new CountedSequence(real.newSequence());
            }

            @Override
            public EngineSequence newSequence(RoutingOverride override) {
                openSequences.incrementAndGet();
                return new CountedSequence(real.newSequence(override));
            }

            @Override
            public StepOutcome step(List<SequenceTokens> inputs, RoutingCapture capture) {
                Thread thread = Thread.currentThread();
                steps.add(new Step(thread.getName(), Schedulers.isInNonBlockingThread(),
                        inputs.stream().mapToInt(input -> input.tokens().length).toArray(), capture,
                        inputs.stream().mapToInt(input -> ((CountedSequence) input.sequence()).id).toArray()));
                boolean prefill = inputs.stream().anyMatch(input -> input.tokens().length > 1);
                sleep(prefill && prefillDelayMillis > 0 ? prefillDelayMillis : stepDelayMillis);
                if (failInSteps.get() > 0 && failInSteps.decrementAndGet() == 0) {
                    throw new IllegalStateException("fault injected by the test");
                }
                return real.step(inputs.stream()
                        .map(input -> new SequenceTokens(((CountedSequence) input.sequence()).delegate, input.tokens()))
                        .toList(), capture);
            }

            @Override
            public void close() {
                real.close();
            }
        };
    }

    /** A real sequence whose close is counted. */
    private final class CountedSequence implements EngineSequence {
        final EngineSequence delegate;
        final int id = sequencesMade.incrementAndGet();
        private boolean closed;

        CountedSequence(EngineSequence delegate) {
            this.delegate = delegate;
        }

        @Override
        public int length() {
            return delegate.length();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                openSequences.decrementAndGet();
                delegate.close();
            }
        }
    }

    private static void sleep(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
