package dev.switchboard.tools.loadgen;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Sends long prompts beside a level's streams, one at a time with a pause between them, so the level's
 * inter-token latencies show what a long prompt's prefill does to running streams (docs/PERFORMANCE.md#chunked-prefill).
 * Its requests are not part of the level's results.
 */
final class LongPromptSender implements AutoCloseable {

    private final Thread thread;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private volatile boolean stopping;

    /**
     * Starts sending at once.
     *
     * @param send sends request number i and returns how it went
     * @param pauseMillis the pause after each long prompt's answer before the next one is sent
     */
    LongPromptSender(IntFunction<StreamResult> send, long pauseMillis) {
        thread = new Thread(() -> {
            for (int i = 0; !stopping; i++) {
                StreamResult result = send.apply(i);
                (result.failed() ? failed : sent).incrementAndGet();
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "loadgen-long-prompts");
        thread.setDaemon(true);
        thread.start();
    }

    /** Long prompts answered so far. */
    int sent() {
        return sent.get();
    }

    /** Long prompts that failed so far. */
    int failed() {
        return failed.get();
    }

    /** Stops: the request in flight is abandoned (counted as failed) or the pause cut short; returns once the thread ended. */
    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
