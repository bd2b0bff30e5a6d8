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
 * The running sequences and the two kinds of step over them: a prefill of newly joined prompts (all in one
 * forward) and a decode step (one token for every running sequence, in one forward). A sequence that
 * finishes, fails or is cancelled leaves the batch at once and its KV cache is freed. Inference thread only.
 */
final class Batch {

    private static final Logger log = LoggerFactory.getLogger(Batch.class);

    private final List<RunningSequence> running = new ArrayList<>();
    private final GenerationMetrics metrics;
    private final StepObserver observer;

    Batch(GenerationMetrics metrics, StepObserver observer) {
        this.metrics = metrics;
        this.observer = observer;
    }

    int size() {
        return running.size();
    }

    /** Removes the sequences for which {@code leaves} holds, after it has ended them. */
    void removeIf(Predicate<RunningSequence> leaves) {
        running.removeIf(sequence -> leaves.test(sequence) || sequence.closed());
    }

    /** Prefills {@code jobs} together and samples each one's first token; prefill-only jobs end here. */
    void prefill(ServingEngine model, List<GenerationJob> jobs) {
        List<RunningSequence> joining = new ArrayList<>(jobs.size());
        List<SequenceTokens> inputs = new ArrayList<>(jobs.size());
        for (GenerationJob job : jobs) {
            EngineSequence cache = job.spec.routingOverride() == null
                    ? model.newSequence()
                    : model.newSequence(job.spec.routingOverride());
            RunningSequence sequence = new RunningSequence(job, cache, metrics, observer);
            joining.add(sequence);
            inputs.add(new SequenceTokens(cache, job.spec.promptTokens()));
            metrics.prefilled(job.spec.promptTokens().length);
        }
        StepOutcome output = forward(model, RoutingPhase.PREFILL, joining, inputs);
        if (output == null) {
            return;
        }
        for (int i = 0; i < joining.size(); i++) {
            RunningSequence sequence = joining.get(i);
            List<TokenTrace> routing = output.routing() == null ? null : output.routing().get(i);
            if (sequence.job.spec.prefillOnly()) {
                sequence.job.emit(new GenerationEvent.Prefilled(sequence.job.spec.promptTokens(), routing));
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
        for (RunningSequence sequence : running) {
            sequence.finish(finishReason);
        }
        running.clear();
    }

    /** Fails every running sequence (the engine broke). */
    void failAll(ApiException error) {
        for (RunningSequence sequence : running) {
            sequence.fail(error);
        }
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
