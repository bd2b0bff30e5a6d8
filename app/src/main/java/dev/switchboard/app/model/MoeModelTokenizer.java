package dev.switchboard.app.model;

import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import dev.switchboard.runtime.tokenizer.TextStream;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/** {@link ModelTokenizer} over the runtime's tokenizer, with the checkpoint's BOS for plain-text prompts where its family's tokenizer adds one. */
final class MoeModelTokenizer implements ModelTokenizer {

    private final MoeTokenizer tokenizer;
    private final OptionalInt promptBos;
    private final int longestPieceChars;

    MoeModelTokenizer(MoeTokenizer tokenizer, OptionalInt promptBos) {
        this.tokenizer = tokenizer;
        this.promptBos = promptBos;
        this.longestPieceChars = IntStream.range(0, tokenizer.vocabSize())
                .map(id -> tokenizer.tokenText(id).length()).max().orElse(1);
    }

    @Override
    public int[] encodePrompt(String text) {
        return promptBos.isPresent() ? tokenizer.encodePrompt(text, promptBos.getAsInt()) : tokenizer.encode(text);
    }

    @Override
    public int[] encodeRendered(String text) {
        return tokenizer.encode(text); // the template wrote bos_token as text; the tokenizer maps it to the id
    }

    @Override
    public int longestPieceChars() {
        return longestPieceChars;
    }

    @Override
    public String tokenText(int tokenId) {
        return tokenizer.tokenText(tokenId);
    }

    @Override
    public TextStream textStream() {
        return tokenizer.textStream();
    }
}
