package dev.switchboard.runtime.generation;

import java.util.List;

/**
 * Finds stop strings in streamed text. Each {@link #accept(String)} takes the next text delta and
 * returns the text that is safe to emit now: it holds back the longest tail that could still become
 * the start of a stop string, and when a stop string completes it releases the text before it and
 * never the stop string itself (nor anything after it). {@link #flush()} releases the held tail when
 * generation ends for another reason.
 *
 * <p>When stop strings overlap, the one that starts earliest in the text wins. One instance per
 * sequence; not thread-safe.
 */
final class StopMatcher {

    /**
     * @param text text to emit now (may be empty)
     * @param stopped whether a stop string completed; no further text follows
     */
    public record Emission(String text, boolean stopped) {}

    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private boolean stopped;

    /** @param stops stop strings, none empty; an empty list never stops and never holds text back */
    public StopMatcher(List<String> stops) {
        this.stops = List.copyOf(stops);
        for (String s : this.stops) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty, found \"\" in " + stops);
            }
        }
    }

    /** Takes the next delta; returns what may be emitted and whether a stop string completed. */
    public Emission accept(String delta) {
        if (stopped) {
            throw new IllegalStateException("a stop string already completed; no more text may be accepted");
        }
        held.append(delta);
        int stopAt = earliestStop();
        if (stopAt >= 0) {
            stopped = true;
            String before = held.substring(0, stopAt);
            held.setLength(0);
            return new Emission(before, true);
        }
        int keep = longestTailThatStartsAStop();
        String ready = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return new Emission(ready, false);
    }

    /** Releases the held tail (generation ended without a stop string); empty after a stop. */
    public String flush() {
        String rest = held.toString();
        held.setLength(0);
        return rest;
    }

    /** Whether a stop string has completed. */
    public boolean stopped() {
        return stopped;
    }

    private int earliestStop() {
        int earliest = -1;
        for (String stop : stops) {
            int at = held.indexOf(stop);
            if (at >= 0 && (earliest < 0 || at < earliest)) {
                earliest = at;
            }
        }
        return earliest;
    }

    /** Length of the longest suffix of the held text that is a proper prefix of some stop string. */
    private int longestTailThatStartsAStop() {
        int longest = 0;
        for (String stop : stops) {
            for (int length = Math.min(stop.length() - 1, held.length()); length > longest; length--) {
                if (endsWith(stop, length)) {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }

    private boolean endsWith(String stop, int prefixLength) {
        int start = held.length() - prefixLength;
        for (int i = 0; i < prefixLength; i++) {
            if (held.charAt(start + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
