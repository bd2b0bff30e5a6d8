package dev.switchboard.app.generation;

import dev.switchboard.app.errors.ApiException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Where a request's CPU work before admission runs: JSON parsing, chat-template rendering and tokenizing. A
 * megabyte of prompt costs seconds of CPU, which on a Netty event loop would stall every connection that loop
 * serves, health probes included. One thread per core ({@value #THREAD_PREFIX}N) and a queue of
 * {@code switchboard.serving.max-preparing}; a request beyond that is refused with 429 at once.
 */
@Component
public class RequestPreparation implements DisposableBean {

    static final String THREAD_PREFIX = "switchboard-prepare-";
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final ThreadPoolExecutor pool;
    private final Scheduler scheduler;
    private final GenerationMetrics metrics;

    RequestPreparation(ServingProperties limits, GenerationMetrics metrics) {
        int threads = Runtime.getRuntime().availableProcessors();
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, limits.maxPreparing())), work -> {
                    Thread thread = new Thread(work, THREAD_PREFIX + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.scheduler = Schedulers.fromExecutorService(pool, "switchboard-prepare");
        this.metrics = metrics;
    }

    /** Runs {@code work} on a preparation thread; 429 when every thread is busy and the queue is full. */
    public <T> Mono<T> run(String endpoint, Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(scheduler).onErrorMap(RejectedExecutionException.class, e -> {
            metrics.rejected(endpoint, "overloaded");
            return ApiException.overloaded("The server is busy preparing other requests; retry later", RETRY_AFTER);
        });
    }

    @Override
    public void destroy() {
        scheduler.dispose();
        pool.shutdownNow();
    }
}
