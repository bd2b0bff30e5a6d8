package dev.switchboard.app.model;

import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import dev.switchboard.runtime.tokenizer.TextStream;
import java.util.stream.IntStream;

/** {@link ModelTokenizer} over the runtime's tokenizer; BOS is added here since the runtime never adds it. */
final class MoeModelTokenizer implements ModelTokenizer {

    private final MoeTokenizer tokenizer;
    private final int bosTokenId;
    private final int longestPieceChars;

    MoeModelTokenizer(MoeTokenizer tokenizer, int bosTokenId) {
        this.tokenizer = tokenizer;
        this.bosTokenId = bosTokenId;
        this.longestPieceChars = IntStream.range(0, tokenizer.vocabSize())
                .map(id -> tokenizer.tokenText(id).length()).max().orElse(1);
    }

    @Override
    public int[] encodePrompt(String text) {
        int[] ids = tokenizer.encode(text);
        int[] withBos = new int[ids.length + 1];
        withBos[0] = bosTokenId;
        System.arraycopy(ids, 0, withBos, 1, ids.length);
        return withBos;
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
    public IncrementalDecoder newDecoder() {
        TextStream stream = tokenizer.textStream();
        return new IncrementalDecoder() {
            @Override
            public String push(int tokenId) {
                return stream.push(tokenId);
            }

            @Override
            public String flush() {
                return stream.flush();
            }
        };
    }
}
