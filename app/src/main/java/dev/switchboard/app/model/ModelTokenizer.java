package dev.switchboard.app.model;

import dev.switchboard.runtime.tokenizer.TextStream;

/** Text to token ids and back, as the model's tokenizer defines it. Thread-safe. */
public interface ModelTokenizer {

    /** A plain-text prompt, with the special tokens the tokenizer adds (e.g. BOS). */
    int[] encodePrompt(String text);

    /** Text rendered by a chat template, which already carries its special tokens. */
    int[] encodeRendered(String text);

    /**
     * The most characters one token can stand for: the longest vocabulary piece (byte-level pieces spell each
     * byte as one character, so a piece is never shorter than the text it covers). A text longer than
     * {@code context × this} cannot fit the context, whatever it tokenizes to.
     */
    int longestPieceChars();

    /** The text of one token as shown in routing traces (special tokens included). */
    String tokenText(int tokenId);

    /** A fresh streaming detokenizer for one generated sequence (stateful; not thread-safe). */
    TextStream textStream();
}
