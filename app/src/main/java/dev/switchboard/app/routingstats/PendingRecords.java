package dev.switchboard.app.routingstats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records (requests, traces, events) waiting to be written, bounded by a memory budget. Offering is
 * lock-free; a record that does not fit is counted as lost and logged (first loss of an outage at WARN,
 * then every 10 000th), never silently dropped.
 */
final class PendingRecords<T> {

    private static final Logger log = LoggerFactory.getLogger(PendingRecords.class);

    private final String kind;
    private final long budgetBytes;
    private final ToLongFunction<T> sizeOf;
    private final RoutingStatsMetrics metrics;
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong lostSinceLastWrite = new AtomicLong();

    PendingRecords(String kind, long budgetBytes, ToLongFunction<T> sizeOf, RoutingStatsMetrics metrics) {
        this.kind = kind;
        this.budgetBytes = budgetBytes;
        this.sizeOf = sizeOf;
        this.metrics = metrics;
    }

    void offer(T record) {
        long size = sizeOf.applyAsLong(record);
        if (bytes.addAndGet(size) > budgetBytes) {
            bytes.addAndGet(-size);
            metrics.lostRecords(kind, 1);
            long lost = lostSinceLastWrite.incrementAndGet();
            if (lost == 1 || lost % 10_000 == 0) {
                log.warn("Routing statistics: {} {} record(s) lost since the last successful write: the pending {} exceed "
                        + "their budget of {} bytes (is the database reachable?)", lost, kind, kind, budgetBytes);
            }
            return;
        }
        queue.add(record);
    }

    /** Takes up to {@code max} records; give them back with {@link #restore} if the write fails. */
    List<T> take(int max) {
        List<T> taken = new ArrayList<>(Math.min(max, 1024));
        T record;
        while (taken.size() < max && (record = queue.poll()) != null) {
            taken.add(record);
        }
        return taken;
    }

    void written(Collection<T> records) {
        bytes.addAndGet(-records.stream().mapToLong(sizeOf).sum());
        long lost = lostSinceLastWrite.getAndSet(0);
        if (lost > 0) {
            log.warn("Routing statistics: writing {} records again; {} of them were lost while they could not be written", kind, lost);
        }
    }

    /** Puts back records whose write failed (order does not matter: every write is idempotent). */
    void restore(Collection<T> records) {
        queue.addAll(records);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    long bytes() {
        return bytes.get();
    }
}
