package dev.switchboard.app.routingstats;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts the writers inside one open window, so that the flusher can close the window and wait until
 * every writer that saw it open has finished before reading its totals.
 *
 * <p>Striped by thread id with padding between slots: a thread always enters and leaves through the
 * same slot, so each slot is exactly its own in-flight count (a {@code LongAdder} may rehash between the
 * two and transiently read as zero), and concurrent requests on different threads touch different
 * cache lines. Protocol (writer: increment, then re-read the current window; closer: swap the current
 * window, then read the slots) is the Dekker pattern on volatile accesses: either the writer sees the new
 * window and backs out, or the closer sees its increment and waits.
 */
final class InFlightWriters {

    private static final int STRIPES = 64; // power of two
    private static final int PAD = 16; // 16 longs = 128 bytes between slots: no false sharing

    private final AtomicLongArray slots = new AtomicLongArray(STRIPES * PAD);

    void enter() {
        slots.incrementAndGet(slotOfCurrentThread());
    }

    /** Leaves; must run on the thread that entered. */
    void exit() {
        slots.decrementAndGet(slotOfCurrentThread());
    }

    private static int slotOfCurrentThread() {
        return (int) (Thread.currentThread().getId() & (STRIPES - 1)) * PAD;
    }

    /** Waits until no writer is inside; call only after the window stopped being the current one. */
    void awaitQuiescent() {
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            while (slots.get(stripe * PAD) != 0) {
                Thread.onSpinWait();
            }
        }
    }
}
