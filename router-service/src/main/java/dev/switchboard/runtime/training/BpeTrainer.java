package dev.switchboard.runtime.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Learns a byte-fallback BPE vocabulary in the Llama/Mistral layout: {@code <unk>}, {@code <s>}, {@code </s>},
 * the 256 byte tokens, the corpus's frequent characters, then merged pieces. Text is normalised as the
 * written tokenizer does it (a leading {@code ▁}, every space becomes {@code ▁}).
 *
 * <p>Merges are learned inside chunks that end where a {@code ▁} follows another character, and a piece only
 * ever holds {@code ▁} in its leading run. So no learned merge can straddle a chunk boundary, and applying the
 * merges to the whole text (as Hugging Face's BPE does, with no pre-tokenizer) gives exactly the training
 * segmentation. Digits are never merged, so numbers are read digit by digit.
 */
public final class BpeTrainer {

    public static final String SPACE = "\u2581";

    private static final int MIN_CHARACTER_COUNT = 4;
    private static final int MAX_CHARACTERS = 160;
    private static final Pattern SPECIAL_TOKEN = Pattern.compile("<s>|</s>|<unk>");

    private BpeTrainer() {}

    /** A learned vocabulary: pieces in id order and the merges in rank order. */
    public record Vocabulary(List<String> pieces, List<String[]> merges) {

        /** Ids of the fixed special tokens. */
        public static final int UNK = 0;
        public static final int BOS = 1;
        public static final int EOS = 2;
    }

    public static Vocabulary train(List<String> texts, int vocabSize) {
        List<String> pieces = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        for (int b = 0; b < 256; b++) {
            pieces.add(String.format("<0x%02X>", b));
        }
        if (vocabSize < pieces.size() + 1) {
            throw new IllegalArgumentException("vocab size " + vocabSize + " leaves no room beyond the "
                    + pieces.size() + " special and byte tokens");
        }
        Map<String, Long> chunks = chunkCounts(texts);
        for (String character : frequentCharacters(chunks)) {
            if (pieces.size() < vocabSize) {
                pieces.add(character);
            }
        }
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < pieces.size(); i++) {
            ids.put(pieces.get(i), i);
        }
        List<int[]> words = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        chunks.forEach((chunk, count) -> {
            int[] symbols = chunk.codePoints().map(cp -> ids.getOrDefault(new String(Character.toChars(cp)), -1)).toArray();
            // A chunk with a character outside the vocabulary is read through byte fallback: it teaches no merge.
            if (symbols.length > 1 && Arrays.stream(symbols).noneMatch(s -> s < 0)) {
                words.add(symbols);
                counts.add(count);
            }
        });
        List<String[]> merges = new ArrayList<>();
        PairCounts pairs = new PairCounts(words, counts, pieces);
        while (pieces.size() < vocabSize) {
            long best = pairs.best();
            if (best < 0) {
                break;
            }
            int left = (int) (best >>> 32);
            int right = (int) (best & 0xFFFFFFFFL);
            String merged = pieces.get(left) + pieces.get(right);
            int mergedId = pieces.size();
            pieces.add(merged);
            merges.add(new String[] {pieces.get(left), pieces.get(right)});
            pairs.merge(left, right, mergedId);
        }
        return new Vocabulary(List.copyOf(pieces), List.copyOf(merges));
    }

    /** How often each chunk occurs: the normalised text cut before every {@code ▁} run that follows a character. */
    static Map<String, Long> chunkCounts(List<String> texts) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String text : texts) {
            for (String segment : SPECIAL_TOKEN.split(text)) {
                if (!segment.isEmpty()) {
                    countChunks(segment, counts);
                }
            }
        }
        return counts;
    }

    /** Hugging Face normalises each stretch of text between special tokens on its own (one leading ▁ each). */
    private static void countChunks(String segment, Map<String, Long> counts) {
        String normalised = SPACE + segment.replace(" ", SPACE);
        int start = 0;
        for (int i = 1; i <= normalised.length(); i++) {
            boolean boundary = i == normalised.length()
                    || (normalised.startsWith(SPACE, i) && !normalised.startsWith(SPACE, i - 1));
            if (boundary) {
                counts.merge(normalised.substring(start, i), 1L, Long::sum);
                start = i;
            }
        }
    }

    private static List<String> frequentCharacters(Map<String, Long> chunks) {
        Map<String, Long> characters = new HashMap<>();
        chunks.forEach((chunk, count) -> chunk.codePoints()
                .forEach(cp -> characters.merge(new String(Character.toChars(cp)), count, Long::sum)));
        return characters.entrySet().stream()
                .filter(e -> e.getValue() >= MIN_CHARACTER_COUNT)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_CHARACTERS)
                .map(Map.Entry::getKey)
                .toList();
    }
}
