package dev.switchboard.runtime.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The incrementally kept pair counts pick, merge after merge, the pair a count of every word afresh picks. */
class PairCountsTest {

    private static final List<String> SYMBOLS = List.of("a", "b", "c", "7", BpeTrainer.SPACE);

    @Test
    void picksWhatCountingAfreshPicksAfterEveryMerge() {
        SplittableRandom random = new SplittableRandom(7);
        List<int[]> words = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (int w = 0; w < 300; w++) {
            int[] word = random.ints(2 + random.nextInt(8), 0, SYMBOLS.size()).toArray();
            words.add(word);
            counts.add(1L + random.nextInt(5));
        }
        List<String> pieces = new ArrayList<>(SYMBOLS);
        List<int[]> fresh = new ArrayList<>(words);
        PairCounts pairs = new PairCounts(new ArrayList<>(words), counts, pieces);

        for (int merge = 0; merge < 25; merge++) {
            long expected = bestByCountingAfresh(fresh, counts, pieces);
            assertThat(pairs.best()).as("merge %d", merge).isEqualTo(expected);
            if (expected < 0) {
                break;
            }
            int left = (int) (expected >>> 32);
            int right = (int) expected;
            pieces.add(pieces.get(left) + pieces.get(right));
            pairs.merge(left, right, pieces.size() - 1);
            fresh.replaceAll(word -> merged(word, left, right, pieces.size() - 1));
        }
    }

    @Test
    void countsOverlappingOccurrencesAsTheFullCountDoes() {
        List<String> pieces = new ArrayList<>(List.of("a", "b"));
        PairCounts pairs = new PairCounts(new ArrayList<>(List.of(new int[] {0, 0, 0}, new int[] {0, 1})),
                List.of(1L, 1L), pieces);

        assertThat(pairs.best()).as("aaa holds aa twice, ab once").isEqualTo(0L);
    }

    private static long bestByCountingAfresh(List<int[]> words, List<Long> counts, List<String> pieces) {
        Map<Long, Long> pairCounts = new HashMap<>();
        for (int w = 0; w < words.size(); w++) {
            int[] word = words.get(w);
            for (int i = 0; i + 1 < word.length; i++) {
                String left = pieces.get(word[i]);
                String right = pieces.get(word[i + 1]);
                boolean digit = (left + right).chars().anyMatch(Character::isDigit);
                boolean space = right.startsWith(BpeTrainer.SPACE) && !left.replace(BpeTrainer.SPACE, "").isEmpty();
                if (!digit && !space) {
                    pairCounts.merge(((long) word[i] << 32) | word[i + 1], counts.get(w), Long::sum);
                }
            }
        }
        long best = -1;
        long bestCount = 1;
        String bestText = null;
        for (Map.Entry<Long, Long> entry : pairCounts.entrySet()) {
            String text = pieces.get((int) (entry.getKey() >>> 32)) + "\u0000" + pieces.get((int) (long) entry.getKey());
            if (entry.getValue() > bestCount || (entry.getValue() == bestCount && bestText != null && text.compareTo(bestText) < 0)) {
                best = entry.getKey();
                bestCount = entry.getValue();
                bestText = text;
            }
        }
        return best;
    }

    private static int[] merged(int[] word, int left, int right, int merged) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < word.length; i++) {
            if (i + 1 < word.length && word[i] == left && word[i + 1] == right) {
                out.add(merged);
                i++;
            } else {
                out.add(word[i]);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
