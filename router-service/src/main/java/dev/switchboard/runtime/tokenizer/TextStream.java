package dev.switchboard.runtime.tokenizer;

import java.util.Arrays;

/**
 * Incremental detokenizer: turns generated token ids into text deltas whose concatenation equals
 * {@link MoeTokenizer#decode} of all ids, never emitting half of a character.
 *
 * <p>Decoding tokens one by one is wrong twice over: SentencePiece decoders strip the leading space of
 * the first piece, and byte-fallback tokens ({@code <0xF0>}...) only form a character together. So, as
 * in Hugging Face text-generation-inference, each push decodes a short window twice, with and without
 * the unconfirmed tokens, and emits the difference once it does not end in U+FFFD (an incomplete UTF-8
 * sequence). Not thread-safe: one stream per sequence.
 */
public final class TextStream {

    private static final char REPLACEMENT = '\uFFFD';

    private final MoeTokenizer tokenizer;
    private int[] ids = new int[16];
    private int size;
    /** Start of the decode window: context so that the first emitted piece keeps its leading space. */
    private int prefixOffset;
    /** Tokens before this index have been emitted as text. */
    private int readOffset;

    TextStream(MoeTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds one token; returns the newly completed text (possibly empty while a character is incomplete). */
    public String push(int tokenId) {
        if (size == ids.length) {
            compact();
        }
        ids[size++] = tokenId;
        String confirmed = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, readOffset));
        String extended = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, size));
        if (extended.length() <= confirmed.length() || extended.charAt(extended.length() - 1) == REPLACEMENT) {
            return "";
        }
        prefixOffset = readOffset;
        readOffset = size;
        return extended.substring(confirmed.length());
    }

    /** Emits whatever is pending at the end of generation, incomplete bytes as U+FFFD. */
    public String flush() {
        String confirmed = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, readOffset));
        String extended = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, size));
        if (extended.length() <= confirmed.length()) {
            return "";
        }
        prefixOffset = readOffset;
        readOffset = size;
        return extended.substring(confirmed.length());
    }

    /** Drops tokens before the decode window (they are never decoded again), growing only if needed. */
    private void compact() {
        int keep = size - prefixOffset;
        int[] next = keep * 2 > ids.length ? new int[ids.length * 2] : ids;
        System.arraycopy(ids, prefixOffset, next, 0, keep);
        ids = next;
        size = keep;
        readOffset -= prefixOffset;
        prefixOffset = 0;
    }
}
