package dev.switchboard.runtime.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The counts of BPE's adjacent mergeable pairs, kept up to date merge by merge: a merge recounts only the words
 * that held the merged pair (found through an index from pair to words), not the whole corpus, which made
 * learning a 2,048-piece vocabulary on a few megabytes take minutes instead of seconds. The counts are exactly
 * those of counting every word afresh (overlapping occurrences included, as {@code aaa} holds {@code aa} twice),
 * so the learned merges are the same.
 */
final class PairCounts {

    private final List<int[]> words;
    private final List<Long> wordCounts;
    private final List<String> pieces;
    private final Map<Long, Long> counts = new HashMap<>();
    private final Map<Long, List<Integer>> wordsHolding = new HashMap<>();
    /** Per piece id: whether it holds a digit, starts with ▁, is only ▁ (what {@link #mergeable} needs). */
    private final List<boolean[]> traits = new ArrayList<>();

    PairCounts(List<int[]> words, List<Long> wordCounts, List<String> pieces) {
        this.words = words;
        this.wordCounts = wordCounts;
        this.pieces = pieces;
        for (int w = 0; w < words.size(); w++) {
            add(w, words.get(w), true);
        }
    }

    /** The most frequent pair seen at least twice as {@code left << 32 | right}; ties go to the smaller piece text; -1 if none. */
    long best() {
        long best = -1;
        long bestCount = 1;
        for (Map.Entry<Long, Long> entry : counts.entrySet()) {
            long count = entry.getValue();
            if (count > bestCount || (count == bestCount && best >= 0 && pairText(entry.getKey()).compareTo(pairText(best)) < 0)) {
                best = entry.getKey();
                bestCount = count;
            }
        }
        return best;
    }

    /** Replaces every {@code left right} by {@code merged} (left to right, without overlap) and recounts those words. */
    void merge(int left, int right, int merged) {
        List<Integer> holders = wordsHolding.remove(pair(left, right));
        if (holders == null) {
            return;
        }
        for (int w : holders) {
            int[] word = words.get(w);
            int[] replaced = applyMerge(word, left, right, merged);
            if (replaced != word) {
                add(w, word, false);
                words.set(w, replaced);
                add(w, replaced, true);
            }
        }
    }

    private void add(int w, int[] word, boolean adding) {
        long count = adding ? wordCounts.get(w) : -wordCounts.get(w);
        for (int i = 0; i + 1 < word.length; i++) {
            if (!mergeable(word[i], word[i + 1])) {
                continue;
            }
            long pair = pair(word[i], word[i + 1]);
            long total = counts.merge(pair, count, Long::sum);
            if (total == 0) {
                counts.remove(pair);
            }
            if (adding) {
                List<Integer> holders = wordsHolding.computeIfAbsent(pair, p -> new ArrayList<>());
                if (holders.isEmpty() || holders.get(holders.size() - 1) != w) {
                    holders.add(w);
                }
            }
        }
    }

    /** Digits stay single tokens; a {@code ▁} may only join a piece that is all {@code ▁} so far. */
    private boolean mergeable(int left, int right) {
        boolean[] l = traits(left);
        boolean[] r = traits(right);
        return !l[0] && !r[0] && (!r[1] || l[2]);
    }

    private boolean[] traits(int id) {
        while (traits.size() <= id) {
            String piece = pieces.get(traits.size());
            traits.add(new boolean[] {piece.chars().anyMatch(Character::isDigit), piece.startsWith(BpeTrainer.SPACE),
                    piece.replace(BpeTrainer.SPACE, "").isEmpty()});
        }
        return traits.get(id);
    }

    private String pairText(long pair) {
        return pieces.get((int) (pair >>> 32)) + "\u0000" + pieces.get((int) (pair & 0xFFFFFFFFL));
    }

    private static long pair(int left, int right) {
        return ((long) left << 32) | right;
    }

    private static int[] applyMerge(int[] word, int left, int right, int merged) {
        int[] out = new int[word.length];
        int n = 0;
        for (int i = 0; i < word.length; i++) {
            if (i + 1 < word.length && word[i] == left && word[i + 1] == right) {
                out[n++] = merged;
                i++;
            } else {
                out[n++] = word[i];
            }
        }
        return n == word.length ? word : Arrays.copyOf(out, n);
    }
}
