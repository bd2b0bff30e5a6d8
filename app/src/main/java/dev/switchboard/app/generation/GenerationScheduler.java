package dev.switchboard.app.generation;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.runtime.serving.ServingEngine;
import dev.switchboard.app.model.ModelHolder;
import dev.switchboard.app.model.StepBoundary;
import dev.switchboard.runtime.generation.FinishReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.ObjectProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Continuous batching with chunked prefill. One dedicated thread ({@value #THREAD_NAME}) owns the model; requests
 * wait in a bounded queue and join the batch at step boundaries. Each loop iteration: drop cancelled and expired
 * sequences, admit waiting requests up to {@code maxRunning}, one prefill step over the next
 * {@code prefillChunkTokens} tokens of the admitted prompts (a long prompt takes several iterations), then one
 * decode step for every sequence past its prompt, in one forward. So a long prompt delays each running stream's
 * next token by one chunk's step, not by its whole prefill (as in Sarathi-Serve, Agrawal et al. 2024).
 * Admission beyond {@code maxRunning + maxQueued} is refused with 429, and with 503 while draining.
 *
 * <p>Work submitted through {@link StepBoundary} (expert-table swaps) runs on the same thread at the start
 * of an iteration, between two steps.
 */
@Component
class GenerationScheduler implements SmartLifecycle, StepBoundary {

    static final String THREAD_NAME = "switchboard-inference";
    private static final Logger log = LoggerFactory.getLogger(GenerationScheduler.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    /** How long {@link #betweenSteps} waits for a step boundary: longer than any one step should take. */
    private static final Duration BOUNDARY_TIMEOUT = Duration.ofSeconds(60);

    private final ServingProperties limits;
    private final GenerationMetrics metrics;
    private final Batch batch;
    private final LinkedBlockingDeque<GenerationJob> waiting = new LinkedBlockingDeque<>();
    private final ConcurrentLinkedQueue<FutureTask<?>> boundaryWork = new ConcurrentLinkedQueue<>();
    /** Accepted and not yet ended (waiting plus running); the admission bound applies to it. */
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile int running;
    private volatile boolean draining;
    private volatile boolean endAllRequested;
    private volatile boolean stopping;
    private volatile Thread thread;
    private final ModelHolder models;

    GenerationScheduler(ServingProperties limits, GenerationMetrics metrics, ObjectProvider<StepObserver> observers,
            ModelHolder models) {
        this.limits = limits;
        this.models = models;
        this.metrics = metrics;
        this.batch = new Batch(metrics, observers.getIfAvailable(() -> report -> {}));
        metrics.gauges(waiting::size, () -> running);
    }

    /** Queues a request, or refuses it now: 503 while draining, 429 when running and queue are full. */
    GenerationJob submit(GenerationSpec spec) {
        if (draining) {
            metrics.rejected(spec.endpoint(), "draining");
            throw ApiException.unavailable("server_draining", "The server is shutting down; retry on another instance",
                    Duration.ofSeconds(5));
        }
        if (accepted.incrementAndGet() > limits.maxRunning() + limits.maxQueued()) {
            accepted.decrementAndGet();
            metrics.rejected(spec.endpoint(), "overloaded");
            throw ApiException.overloaded("The server is busy: " + limits.maxRunning() + " sequences running and "
                    + limits.maxQueued() + " waiting; retry later", RETRY_AFTER);
        }
        long now = System.nanoTime();
        GenerationJob job = new GenerationJob(spec, now, now + limits.requestTimeout().toNanos(), accepted::decrementAndGet);
        waiting.addLast(job);
        return job;
    }

    @Override
    public <T> T betweenSteps(Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread current = thread;
        if (current == null || current == Thread.currentThread()) {
            task.run(); // no step can be in progress: the loop is not running, or this is the loop itself
        } else {
            boundaryWork.add(task);
        }
        try {
            return task.get(BOUNDARY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(false);
            throw new IllegalStateException("the inference thread reached no step boundary within "
                    + BOUNDARY_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(false);
            throw new IllegalStateException("interrupted while waiting for a step boundary", e);
        }
    }

    /** Runs the work queued for a step boundary; each task's failure goes to its submitter. */
    private void runBoundaryWork() {
        for (FutureTask<?> task; (task = boundaryWork.poll()) != null; ) {
            task.run();
        }
    }

    /** Requests accepted and not yet ended. */
    int inFlight() {
        return accepted.get();
    }

    /** From now on new requests get 503; accepted ones go on. */
    void beginDrain() {
        draining = true;
    }

    /** Ends every running sequence with {@code finish_reason: "length"} and fails the waiting ones, at the next step. */
    void endAll() {
        endAllRequested = true;
    }

    private void loop() {
        while (!stopping) {
            try {
                iterate();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                log.error("Inference loop failed; failing the running sequences", e);
                batch.failAll(ApiException.internal());
            }
            running = batch.size();
        }
        batch.finishAll(FinishReason.LENGTH);
        failWaiting(ApiException.unavailable("server_draining", "The server is shutting down", Duration.ofSeconds(5)));
        runBoundaryWork(); // submitted while the loop was ending; no step runs any more
    }

    private void iterate() throws InterruptedException {
        runBoundaryWork();
        if (endAllRequested) {
            endAllRequested = false;
            batch.finishAll(FinishReason.LENGTH);
            failWaiting(ApiException.unavailable("server_draining", "The server is shutting down", Duration.ofSeconds(5)));
        }
        long now = System.nanoTime();
        batch.removeIf(sequence -> leaves(sequence, now));
        dropAbandoned(now);
        List<GenerationJob> joining = admit();
        if (!joining.isEmpty()) {
            batch.join(engine(), joining);
        }
        if (batch.prefilling()) {
            batch.prefillChunk(engine(), limits.prefillChunkTokens());
        }
        if (batch.decoding() > 0) {
            batch.decode(engine());
        } else if (batch.size() == 0 && joining.isEmpty()) {
            GenerationJob next = waiting.pollFirst(20, TimeUnit.MILLISECONDS); // idle: sleep until work arrives
            if (next != null) {
                waiting.addFirst(next);
            }
        }
    }

    /** The served model's engine: every job was admitted for it, and it outlives this scheduler. */
    private ServingEngine engine() {
        return models.require().engine();
    }

    /** Cancelled sequences leave silently; those past their deadline end with "length". */
    private static boolean leaves(RunningSequence sequence, long now) {
        if (sequence.job.cancelled()) {
            sequence.cancel();
            return true;
        }
        if (now - sequence.job.deadlineNanos > 0) {
            sequence.finish(FinishReason.LENGTH);
            return true;
        }
        return false;
    }

    /** Waiting requests whose client left, or that waited longer than {@code maxQueueWait}, leave the queue. */
    private void dropAbandoned(long now) {
        long maxWait = limits.maxQueueWait().toNanos();
        for (Iterator<GenerationJob> it = waiting.iterator(); it.hasNext(); ) {
            GenerationJob job = it.next();
            if (job.cancelled()) {
                it.remove();
                job.release();
                metrics.finished(job.spec.endpoint(), "cancelled");
            } else if (now - job.arrivedNanos > maxWait) {
                it.remove();
                job.emit(new GenerationEvent.Failed(ApiException.unavailable("queue_timeout",
                        "The request waited " + limits.maxQueueWait().toSeconds() + " s for a place and timed out; retry later",
                        RETRY_AFTER)));
                job.release();
                metrics.finished(job.spec.endpoint(), "queue_timeout");
            }
        }
    }

    /** Takes waiting requests while the batch has room; their prompts are prefilled in the following steps. */
    private List<GenerationJob> admit() {
        List<GenerationJob> joining = new ArrayList<>();
        while (batch.size() + joining.size() < limits.maxRunning()) {
            GenerationJob job = waiting.pollFirst();
            if (job == null) {
                break;
            }
            job.emit(new GenerationEvent.Started());
            joining.add(job);
        }
        return joining;
    }

    private void failWaiting(ApiException error) {
        for (GenerationJob job; (job = waiting.pollFirst()) != null; ) {
            job.emit(new GenerationEvent.Failed(error));
            job.release();
        }
    }

    @Override
    public synchronized void start() {
        if (thread == null) {
            stopping = false;
            draining = false; // a restart after a stop (Spring's test context pausing) serves again
            endAllRequested = false;
            Thread started = new Thread(this::loop, THREAD_NAME);
            started.setDaemon(true);
            thread = started;
            started.start();
        }
    }

    @Override
    public synchronized void stop() {
        Thread current = thread;
        if (current == null) {
            return;
        }
        draining = true;
        stopping = true;
        try {
            current.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
        runBoundaryWork(); // queued while the loop ended: nothing steps any more, run it here
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    /** Stops after the web server (so drained streams are written) and before the model is closed. */
    @Override
    public int getPhase() {
        return ModelHolder.PHASE + 1024;
    }
}
