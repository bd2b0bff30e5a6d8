package dev.switchboard.kernels;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Runs numbered chunks of one product on all cores: the calling thread and one helper thread per further core
 * take chunks from a shared counter until none is left. A helper that starts late finds nothing to do, so a busy
 * machine slows a product down but never stalls it: the caller alone can finish every chunk.
 *
 * <p>Why threads of our own: one thread's matrix-vector product reads memory at about half of what the machine
 * serves to both cores (docs/PERFORMANCE.md), and PyTorch's CPU gemv does not split a single product.
 */
public final class ParallelChunks {

    private static final int HELPERS = Math.max(0, Runtime.getRuntime().availableProcessors() - 1);
    private static final ExecutorService POOL = HELPERS == 0 ? null : Executors.newFixedThreadPool(HELPERS, task -> {
        Thread thread = new Thread(task, "switchboard-kernel");
        thread.setDaemon(true);
        return thread;
    });
    /** Busy-wait this many times for the helper's last chunk before parking: a wake-up costs more than the wait. */
    private static final int SPINS = 2_000;

    private ParallelChunks() {}

    /** Threads that work on one call: the caller and the helpers. */
    public static int threads() {
        return HELPERS + 1;
    }

    /** Calls {@code chunk.accept(i)} once for every {@code i} in {@code [0, chunks)}, on several threads; returns when all are done. */
    public static void forEach(int chunks, IntConsumer chunk) {
        if (chunks <= 1 || POOL == null) {
            for (int i = 0; i < chunks; i++) {
                chunk.accept(i);
            }
            return;
        }
        Job job = new Job(chunks, chunk);
        for (int h = Math.min(HELPERS, chunks - 1); h > 0; h--) {
            POOL.execute(job);
        }
        job.run();
        job.awaitAll();
    }

    private static final class Job implements Runnable {
        private final int chunks;
        private final IntConsumer chunk;
        private final Thread caller = Thread.currentThread();
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(int chunks, IntConsumer chunk) {
            this.chunks = chunks;
            this.chunk = chunk;
        }

        @Override
        public void run() {
            for (int i = next.getAndIncrement(); i < chunks; i = next.getAndIncrement()) {
                try {
                    chunk.accept(i);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
                if (finished.incrementAndGet() == chunks) {
                    LockSupport.unpark(caller);
                }
            }
        }

        void awaitAll() {
            for (int spins = 0; finished.get() < chunks; spins++) {
                if (spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException e) throw e;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }
    }
}
