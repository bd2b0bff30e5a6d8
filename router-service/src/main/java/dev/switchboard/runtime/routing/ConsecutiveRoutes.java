package dev.switchboard.runtime.routing;

import java.util.Arrays;

/**
 * Remembers, per layer, the experts chosen for the previous token of one sequence, and classifies each new
 * token's choices against them: the consecutive-token measure of the Mixtral paper, Table 5
 * (docs/MOE.md#consecutive-tokens). The statistics recorder and the {@code eval} tool both count pairs with it,
 * so they count them the same way.
 *
 * <p>Not thread-safe: a sequence's tokens are routed one after another, by one thread at a time.
 */
public final class ConsecutiveRoutes {

    private static final int[] NONE = new int[0];

    private int[][] previous = new int[0][];

    /** Outcome of comparing a token's choices with the previous token's at the same layer. */
    public enum Pair {
        /** No previous token at this layer (first token, or the previous or this one was dropped). */
        NONE,
        /** First choices differ and the first two choices share no expert. */
        DIFFERENT,
        /** First choices differ but the first two choices share an expert. */
        SHARED_FIRST_OR_SECOND,
        /** Same first choice (which implies a shared first-or-second expert). */
        SAME_FIRST
    }

    /**
     * Compares {@code selectedExperts} (choice order; empty when the token was dropped) with the previous
     * token's at {@code layer}, then remembers them. A dropped token breaks the chain: neither the pair
     * into it nor the pair out of it is counted, because it has no first choice.
     */
    public Pair next(int layer, int[] selectedExperts) {
        if (layer < 0) {
            throw new IllegalArgumentException("layer must be >= 0, found " + layer);
        }
        if (layer >= previous.length) {
            int oldLength = previous.length;
            previous = Arrays.copyOf(previous, layer + 1);
            Arrays.fill(previous, oldLength, previous.length, NONE);
        }
        int[] before = previous[layer];
        int[] now = selectedExperts.length == 0 ? NONE : selectedExperts.clone();
        previous[layer] = now;
        if (before.length == 0 || now.length == 0) {
            return Pair.NONE;
        }
        if (before[0] == now[0]) {
            return Pair.SAME_FIRST;
        }
        return sharesFirstOrSecond(before, now) ? Pair.SHARED_FIRST_OR_SECOND : Pair.DIFFERENT;
    }

    private static boolean sharesFirstOrSecond(int[] a, int[] b) {
        int aTop = Math.min(2, a.length);
        int bTop = Math.min(2, b.length);
        for (int i = 0; i < aTop; i++) {
            for (int j = 0; j < bTop; j++) {
                if (a[i] == b[j]) return true;
            }
        }
        return false;
    }
}
