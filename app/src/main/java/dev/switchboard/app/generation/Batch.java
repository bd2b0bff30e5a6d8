package dev.switchboard.app.generation;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.runtime.generation.FinishReason;
import dev.switchboard.runtime.routing.RoutingPhase;
import dev.switchboard.runtime.routing.TokenTrace;
import dev.switchboard.runtime.serving.EngineSequence;
import dev.switchboard.runtime.serving.RoutingCapture;
import dev.switchboard.runtime.serving.SequenceTokens;
import dev.switchboard.runtime.serving.ServingEngine;
import dev.switchboard.runtime.serving.StepOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admitted sequences and the two kinds of step over them: a prefill step (the next chunk of the waiting
 * prompts, at most {@code prefill-chunk-tokens} tokens in one forward) and a decode step (one token for every
 * sequence past its prompt, in one forward). A sequence that finishes, fails or is cancelled leaves the batch at
 * once and its KV cache is freed. Inference thread only.
 */
final class Batch {

    private static final Logger log = LoggerFactory.getLogger(Batch.class);

    private final List<RunningSequence> prefilling = new ArrayList<>(); // admitted, prompt not yet wholly cached
    private final List<RunningSequence> running = new ArrayList<>(); // decoding
    private final GenerationMetrics metrics;
    private final StepObserver observer;

    Batch(GenerationMetrics metrics, StepObserver observer) {
        this.metrics = metrics;
        this.observer = observer;
    }

    /** Admitted sequences, prefilling or decoding: what {@code max-running} bounds. */
    int size() {
        return prefilling.size() + running.size();
    }

    /** Removes the sequences for which {@code leaves} holds, after it has ended them. */
    void removeIf(Predicate<RunningSequence> leaves) {
        prefilling.removeIf(sequence -> leaves.test(sequence) || sequence.closed());
        running.removeIf(sequence -> leaves.test(sequence) || sequence.closed());
    }

    /** Takes {@code jobs} in: each gets a fresh cache and waits for its prompt to be prefilled, chunk by chunk. */
    void join(ServingEngine model, List<GenerationJob> jobs) {
        for (GenerationJob job : jobs) {
            EngineSequence cache = job.spec.routingOverride() == null
                    ? model.newSequence()
                    : model.newSequence(job.spec.routingOverride());
            prefilling.add(new RunningSequence(job, cache, metrics, observer));
            metrics.prefilled(job.spec.promptTokens().length);
        }
    }

    /** Whether some admitted prompt is not yet wholly in its cache. */
    boolean prefilling() {
        return !prefilling.isEmpty();
    }

    /** Sequences past their prompt, fed one token per decode step. */
    int decoding() {
        return running.size();
    }

    /**
     * One prefill step of at most {@code chunkTokens} prompt tokens, taken from the waiting prompts in arrival order
     * (the first may fill it alone; a long prompt takes several steps, so the running sequences decode between its
     * chunks). A prompt whose last chunk this was samples its first token and joins the decode batch; a prefill-only
     * job ends here.
     */
    void prefillChunk(ServingEngine model, int chunkTokens) {
        List<RunningSequence> stepping = new ArrayList<>();
        List<SequenceTokens> inputs = new ArrayList<>();
        int budget = chunkTokens;
        for (int i = 0; i < prefilling.size() && budget > 0; i++) {
            RunningSequence sequence = prefilling.get(i);
            int[] chunk = sequence.nextChunk(budget);
            budget -= chunk.length;
            stepping.add(sequence);
            inputs.add(new SequenceTokens(sequence.cache, chunk));
        }
        StepOutcome output = forward(model, RoutingPhase.PREFILL, stepping, inputs);
        if (output == null) {
            prefilling.removeIf(RunningSequence::closed);
            return;
        }
        for (int i = 0; i < stepping.size(); i++) {
            RunningSequence sequence = stepping.get(i);
            List<TokenTrace> routing = output.routing() == null ? null : output.routing().get(i);
            sequence.chunkPrefilled(inputs.get(i).tokens().length, routing);
            if (sequence.promptLeft() > 0) {
                continue;
            }
            prefilling.remove(sequence);
            if (sequence.job.spec.prefillOnly()) {
                sequence.job.emit(new GenerationEvent.Prefilled(sequence.job.spec.promptTokens(), sequence.promptRouting()));
                sequence.finish(FinishReason.STOP);
                continue;
            }
            accept(sequence, output.logits().get(i), routing == null ? null : routing.get(routing.size() - 1));
            if (!sequence.closed()) {
                running.add(sequence);
            }
        }
    }

    /** One decode step: feeds every running sequence its last token, in one forward. */
    void decode(ServingEngine model) {
        if (running.isEmpty()) {
            return;
        }
        List<RunningSequence> stepping = List.copyOf(running);
        List<SequenceTokens> inputs = new ArrayList<>(stepping.size());
        for (RunningSequence sequence : stepping) {
            inputs.add(new SequenceTokens(sequence.cache, new int[] {sequence.lastToken()}));
        }
        metrics.decodeStep(stepping.size());
        StepOutcome output = forward(model, RoutingPhase.DECODE, stepping, inputs);
        if (output == null) {
            running.removeIf(RunningSequence::closed);
            return;
        }
        for (int i = 0; i < stepping.size(); i++) {
            List<TokenTrace> routing = output.routing() == null ? null : output.routing().get(i);
            accept(stepping.get(i), output.logits().get(i), routing == null ? null : routing.get(0));
        }
        running.removeIf(RunningSequence::closed);
    }

    /** Ends every running sequence (drain deadline, shutdown). */
    void finishAll(FinishReason finishReason) {
        for (RunningSequence sequence : prefilling) {
            sequence.finish(finishReason);
        }
        for (RunningSequence sequence : running) {
            sequence.finish(finishReason);
        }
        prefilling.clear();
        running.clear();
    }

    /** Fails every running sequence (the engine broke). */
    void failAll(ApiException error) {
        for (RunningSequence sequence : prefilling) {
            sequence.fail(error);
        }
        for (RunningSequence sequence : running) {
            sequence.fail(error);
        }
        prefilling.clear();
        running.clear();
    }

    private void accept(RunningSequence sequence, float[] logits, @Nullable TokenTrace routing) {
        try {
            sequence.accept(logits, routing);
        } catch (RuntimeException e) {
            log.error("Request {} failed while sampling", sequence.job.id, e);
            sequence.fail(ApiException.internal());
        }
    }

    /** Runs one forward; on failure every sequence of the step fails mid-stream and null is returned. */
    private @Nullable StepOutcome forward(ServingEngine model, RoutingPhase phase, List<RunningSequence> sequences,
            List<SequenceTokens> inputs) {
        RoutingCapture capture = captureFor(sequences);
        StepOutcome output;
        long started = System.nanoTime();
        try {
            output = model.step(inputs, capture);
            metrics.stepTook(phase, System.nanoTime() - started);
        } catch (RuntimeException e) {
            log.error("{} step over {} sequences failed", phase, sequences.size(), e);
            for (RunningSequence sequence : sequences) {
                sequence.fail(ApiException.internal());
            }
            return null;
        }
        report(phase, sequences, inputs, output);
        return output;
    }

    private RoutingCapture captureFor(List<RunningSequence> sequences) {
        RoutingCapture capture = observer.wantsTokenRouting() ? RoutingCapture.SELECTED : RoutingCapture.NONE;
        for (RunningSequence sequence : sequences) {
            if (sequence.job.spec.capture().compareTo(capture) > 0) {
                capture = sequence.job.spec.capture();
            }
        }
        return capture;
    }

    private void report(RoutingPhase phase, List<RunningSequence> sequences, List<SequenceTokens> inputs, StepOutcome output) {
        try {
            List<StepObserver.SequenceStep> steps = new ArrayList<>(sequences.size());
            for (int i = 0; i < sequences.size(); i++) {
                GenerationJob job = sequences.get(i).job;
                if (job.spec.routingOverride() != null) {
                    continue; // a what-if routing is not the served model's: the statistics leave it out
                }
                steps.add(new StepObserver.SequenceStep(job.id, job.spec.domain(), inputs.get(i).tokens(),
                        output.routing() == null ? null : output.routing().get(i), output.inputStats().get(i)));
            }
            if (steps.isEmpty()) {
                return;
            }
            observer.afterStep(new StepObserver.StepReport(
                    sequences.get(0).job.spec.model().id(), phase, steps));
        } catch (RuntimeException e) {
            log.warn("Step observer failed; the step's statistics are lost", e);
        }
    }
}
