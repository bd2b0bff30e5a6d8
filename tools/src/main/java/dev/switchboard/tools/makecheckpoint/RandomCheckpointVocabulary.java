package dev.switchboard.tools.makecheckpoint;

import dev.switchboard.runtime.training.BpeTrainer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The tokenizer vocabulary of a random checkpoint: byte-fallback BPE learned from a short built-in text, then
 * filled to exactly the model's vocabulary size, so that every id a random model can emit decodes to text.
 * The filling adds valid merges (an existing piece followed by a letter), breadth first, in a fixed order.
 */
final class RandomCheckpointVocabulary {

    /** Enough English for the common letters, pairs and short words; the model is random, so no more is needed. */
    private static final List<String> TEXT = List.of("""
            A mixture of experts sends every token to a few of its experts. The router scores each expert, \
            keeps the best two and weighs their outputs by the scores. When every expert gets its share of \
            the tokens, the layer is balanced; when one expert gets most of them, the others idle and the \
            busy one sets the pace. The server streams the answer token by token, and each token carries the \
            experts that made it. The quick brown fox jumps over the lazy dog while the jury vexes the \
            wizard with seven quirky questions about the weights. Numbers such as 3, 42 and 2048 are read \
            digit by digit. How many experts did the second layer use for this sentence?""");

    /** Ids 0..2 are {@code <unk> <s> </s>}, 3..258 the byte-fallback tokens {@code <0x00>..<0xFF>}. */
    private static final int FIRST_PIECE = 259;

    private RandomCheckpointVocabulary() {}

    static BpeTrainer.Vocabulary of(int vocabSize) {
        return filled(BpeTrainer.train(TEXT, vocabSize), vocabSize);
    }

    static BpeTrainer.Vocabulary filled(BpeTrainer.Vocabulary learned, int vocabSize) {
        List<String> pieces = new ArrayList<>(learned.pieces());
        List<String[]> merges = new ArrayList<>(learned.merges());
        Set<String> known = new HashSet<>(pieces);
        List<String> letters = new ArrayList<>();
        List<String> frontier = new ArrayList<>();
        for (int id = FIRST_PIECE; id < pieces.size(); id++) {
            String piece = pieces.get(id);
            if (piece.codePointCount(0, piece.length()) == 1 && Character.isLetter(piece.codePointAt(0))) {
                letters.add(piece);
            }
            if (piece.startsWith(BpeTrainer.SPACE) || piece.chars().allMatch(Character::isLetter)) {
                frontier.add(piece);
            }
        }
        for (int i = 0; i < frontier.size() && pieces.size() < vocabSize; i++) {
            String left = frontier.get(i);
            for (String letter : letters) {
                if (pieces.size() == vocabSize) {
                    break;
                }
                String merged = left + letter;
                if (known.add(merged)) {
                    pieces.add(merged);
                    merges.add(new String[] {left, letter});
                    frontier.add(merged);
                }
            }
        }
        if (pieces.size() != vocabSize) {
            throw new IllegalStateException("could fill the vocabulary to " + pieces.size() + " pieces only, need "
                    + vocabSize);
        }
        return new BpeTrainer.Vocabulary(List.copyOf(pieces), List.copyOf(merges));
    }
}
