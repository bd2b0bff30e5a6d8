package dev.switchboard.app.generation;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.runtime.generation.FinishReason;
import dev.switchboard.runtime.generation.SequenceDecoder;
import dev.switchboard.runtime.routing.TokenTrace;
import dev.switchboard.runtime.serving.EngineSequence;
import dev.switchboard.runtime.serving.RoutingCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sequence in the running batch: its KV cache and its {@link SequenceDecoder} (sampling, text, stop strings,
 * end of sequence, token limit). Turns the decoder's steps into the request's events, timing and statistics.
 * Used by the inference thread only.
 */
final class RunningSequence {

    private static final Logger log = LoggerFactory.getLogger(RunningSequence.class);

    final GenerationJob job;
    final EngineSequence cache;
    private final SequenceDecoder decoder;
    private final GenerationMetrics metrics;
    private final StepObserver observer;
    private final List<TokenTrace> pendingRouting = new ArrayList<>();
    /** A prefill-only job's routing of every prompt token prefilled so far, in prompt order. */
    private final List<TokenTrace> promptRouting = new ArrayList<>();
    /** Prompt tokens already in the cache; the prompt is prefilled in chunks, one per prefill step. */
    private int prefilled;
    private int lastToken = -1;
    private long lastTokenNanos;
    private boolean closed;

    RunningSequence(GenerationJob job, EngineSequence cache, GenerationMetrics metrics, StepObserver observer) {
        this.job = job;
        this.cache = cache;
        this.decoder = new SequenceDecoder(job.spec.model().tokenizer().textStream(), job.spec.sampling(),
                job.spec.model().shape().eosTokenId(), job.spec.model().shape().contextLength() - job.spec.promptTokens().length);
        this.metrics = metrics;
        this.observer = observer;
    }

    /** Prompt tokens not yet in the cache: 0 once the sequence decodes. */
    int promptLeft() {
        return job.spec.promptTokens().length - prefilled;
    }

    /** The next at most {@code budget} prompt tokens to prefill, from where the cache ends. */
    int[] nextChunk(int budget) {
        int[] prompt = job.spec.promptTokens();
        return Arrays.copyOfRange(prompt, prefilled, prefilled + Math.min(budget, prompt.length - prefilled));
    }

    /**
     * A prefill step put the next {@code count} prompt tokens into the cache.
     *
     * @param routing the routing of each of those tokens, when captured
     */
    void chunkPrefilled(int count, @Nullable List<TokenTrace> routing) {
        prefilled += count;
        if (routing != null && job.spec.prefillOnly()) {
            promptRouting.addAll(routing);
        }
    }

    /** A prefill-only job's routing of its whole prompt, once {@link #promptLeft()} is 0; null when none was captured. */
    @Nullable List<TokenTrace> promptRouting() {
        return promptRouting.isEmpty() ? null : List.copyOf(promptRouting);
    }

    /** The token to feed in the next decode step. */
    int lastToken() {
        return lastToken;
    }

    boolean closed() {
        return closed;
    }

    /**
     * Samples the next token from {@code logits} and emits its text; ends the sequence when the decoder says so.
     *
     * @param routing the routing of the position that produced these logits, when captured
     */
    void accept(float[] logits, @Nullable TokenTrace routing) {
        SequenceDecoder.Step step = decoder.next(logits);
        recordTiming();
        lastToken = step.tokenId();
        if (routing != null && job.spec.capture() != RoutingCapture.NONE) {
            pendingRouting.add(routing);
        }
        emitText(step.text());
        if (step.finish() != null) {
            finished(step.finish());
        }
    }

    /** Ends the sequence early (deadline, drain, shutdown): releases held-back text, sends the terminal event. */
    void finish(FinishReason reason) {
        if (!closed) {
            SequenceDecoder.Ending ending = decoder.end(reason);
            emitText(ending.text());
            finished(ending.finish());
        }
    }

    /** Ends the sequence with an error event (mid-stream when text was already sent). */
    void fail(ApiException error) {
        if (!closed) {
            job.emit(new GenerationEvent.Failed(error));
            close("error");
        }
    }

    /** The client is gone: free the cache without sending anything. */
    void cancel() {
        close("cancelled");
    }

    private void finished(FinishReason reason) {
        String finishReason = reason.name().toLowerCase(Locale.ROOT);
        job.emit(new GenerationEvent.Finished(finishReason, job.spec.promptTokens().length, decoder.generated(),
                List.copyOf(pendingRouting)));
        close(finishReason);
    }

    private void emitText(String text) {
        if (!text.isEmpty()) {
            job.emit(new GenerationEvent.Delta(text, List.copyOf(pendingRouting)));
            pendingRouting.clear();
        }
    }

    private void recordTiming() {
        long now = System.nanoTime();
        if (lastTokenNanos == 0) {
            metrics.firstToken(Duration.ofNanos(now - job.arrivedNanos));
        } else {
            metrics.nextToken(Duration.ofNanos(now - lastTokenNanos));
        }
        lastTokenNanos = now;
        metrics.generated(1);
    }

    private void close(String finishReason) {
        closed = true;
        cache.close();
        job.release();
        metrics.finished(job.spec.endpoint(), finishReason);
        try {
            observer.afterRequest(new StepObserver.RequestReport(job.id, job.spec.model().id(), job.spec.endpoint(),
                    job.spec.domain(), job.spec.promptTokens().length, decoder.generated(), finishReason,
                    (System.nanoTime() - job.arrivedNanos) / 1_000_000));
        } catch (RuntimeException e) {
            log.warn("Step observer failed on the end of request {}", job.id, e);
        }
    }
}
