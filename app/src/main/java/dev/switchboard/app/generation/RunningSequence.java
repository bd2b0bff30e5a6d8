package dev.switchboard.app.generation;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.model.ModelSequence;
import dev.switchboard.app.model.ModelTokenizer;
import dev.switchboard.app.model.RoutingCapture;
import dev.switchboard.app.model.TokenRouting;
import dev.switchboard.runtime.generation.Sampler;
import dev.switchboard.runtime.generation.StopMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sequence in the running batch: its KV cache, sampler, detokenizer and stop matcher. Turns each step's
 * logits into the next token and the text the client may see. Used by the inference thread only.
 */
final class RunningSequence {

    private static final Logger log = LoggerFactory.getLogger(RunningSequence.class);

    final GenerationJob job;
    final ModelSequence cache;
    private final Sampler sampler;
    private final ModelTokenizer.IncrementalDecoder decoder;
    private final StopMatcher stop;
    private final GenerationMetrics metrics;
    private final StepObserver observer;
    private final List<TokenRouting> pendingRouting = new ArrayList<>();
    private int completionTokens;
    private int lastToken = -1;
    private long lastTokenNanos;
    private boolean closed;
    private String finishReason = "";

    RunningSequence(GenerationJob job, ModelSequence cache, GenerationMetrics metrics, StepObserver observer) {
        this.job = job;
        this.cache = cache;
        this.sampler = new Sampler(job.spec.sampling());
        this.decoder = job.spec.model().tokenizer().newDecoder();
        this.stop = new StopMatcher(job.spec.sampling().stop());
        this.metrics = metrics;
        this.observer = observer;
    }

    /** The token to feed in the next decode step. */
    int lastToken() {
        return lastToken;
    }

    boolean closed() {
        return closed;
    }

    /**
     * Samples the next token from {@code logits} and emits its text.
     *
     * @param routing the routing of the position that produced these logits, when captured
     */
    void accept(float[] logits, @Nullable TokenRouting routing) {
        int token = sampler.sample(logits);
        recordTiming();
        completionTokens++;
        lastToken = token;
        if (routing != null && job.spec.capture() != RoutingCapture.NONE) {
            pendingRouting.add(routing);
        }
        if (token == job.spec.model().shape().eosTokenId()) {
            finish("stop");
            return;
        }
        StopMatcher.Emission emission = stop.accept(decoder.push(token));
        emitText(emission.text());
        if (emission.stopped()) {
            finish("stop");
        } else if (completionTokens >= job.spec.sampling().maxTokens()
                || cache.length() + 1 >= job.spec.model().shape().contextLength()) {
            finish("length");
        }
    }

    /** Ends the sequence: flushes held-back text, sends the terminal event, frees the KV cache. */
    void finish(String finishReason) {
        if (closed) {
            return;
        }
        String reason = finishReason;
        if (!stop.stopped()) {
            StopMatcher.Emission rest = stop.accept(decoder.flush());
            emitText(rest.stopped() ? rest.text() : rest.text() + stop.flush());
            reason = rest.stopped() ? "stop" : finishReason;
        }
        job.emit(new GenerationEvent.Finished(reason, job.spec.promptTokens().length, completionTokens, List.copyOf(pendingRouting)));
        close(reason);
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

    int completionTokens() {
        return completionTokens;
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
        this.finishReason = finishReason;
        try {
            observer.afterRequest(new StepObserver.RequestReport(job.id, job.spec.model().id(), job.spec.endpoint(),
                    job.spec.domain(), job.spec.promptTokens().length, completionTokens, finishReason,
                    (System.nanoTime() - job.arrivedNanos) / 1_000_000));
        } catch (RuntimeException e) {
            log.warn("Step observer failed on the end of request {}", job.id, e);
        }
    }

    String finishReason() {
        return finishReason;
    }
}
