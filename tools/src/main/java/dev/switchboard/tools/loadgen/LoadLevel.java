package dev.switchboard.tools.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * One concurrency level: {@code concurrency} clients, each sending its next request as soon as its previous
 * one ended, until all requests are done (a closed loop, so at most {@code concurrency} streams are open).
 */
final class LoadLevel {

    private LoadLevel() {}

    /** Runs requests {@code 0..count-1} through {@code send} with {@code concurrency} at once. */
    static LevelResult run(int concurrency, int count, IntFunction<StreamResult> send) {
        AtomicInteger next = new AtomicInteger();
        List<StreamResult> results = new ArrayList<>(count);
        long start = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        for (int c = 0; c < concurrency; c++) {
            clients.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    StreamResult result = send.apply(i);
                    synchronized (results) {
                        results.add(result);
                    }
                }
            });
        }
        clients.shutdown();
        try {
            if (!clients.awaitTermination(1, TimeUnit.HOURS)) throw new IllegalStateException("a level ran for over an hour");
        } catch (InterruptedException e) {
            clients.shutdownNow();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + concurrency + " streams ran", e);
        }
        return LevelResult.of(concurrency, results, System.nanoTime() - start);
    }
}
