package dev.switchboard.runtime.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Streaming detokenization gives the same text as decoding at once, never part of a character. */
class TextStreamTest {

    private static MoeTokenizer tokenizer;

    @BeforeAll
    static void load() throws URISyntaxException {
        tokenizer = MoeTokenizer.load(Path.of(TextStreamTest.class.getResource("/fixtures/tiny-gqa-top2").toURI()));
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"The quick brown fox jumps over the lazy dog.", "  spaced   out\n\nlines ",
        MoeTokenizerTest.MULTI_BYTE, "😀😀🧪", "a 日本 b"})
    void deltasConcatenateToTheDecodedTextAndAreWholeCharacters(String text) {
        int[] ids = tokenizer.encode(text);
        TextStream stream = tokenizer.textStream();
        StringBuilder streamed = new StringBuilder();
        for (int id : ids) {
            String delta = stream.push(id);
            assertWholeCharacters(delta);
            streamed.append(delta);
        }
        String tail = stream.flush();
        assertThat(tail).isEmpty();
        assertThat(streamed.toString()).isEqualTo(tokenizer.decode(ids)).isEqualTo(text);
    }

    @Test
    void bytesOfOneCharacterAreHeldBackUntilComplete() {
        int[] ids = tokenizer.encode("x😀");
        TextStream stream = tokenizer.textStream();
        List<String> deltas = new ArrayList<>();
        for (int id : ids) {
            deltas.add(stream.push(id));
        }
        // the last four tokens are the emoji's bytes: three pushes emit nothing, the fourth the whole emoji
        assertThat(deltas.subList(deltas.size() - 4, deltas.size())).containsExactly("", "", "", "😀");
    }

    @Test
    void flushEmitsAnIncompleteTailAsReplacementCharacter() {
        int[] ids = tokenizer.encode("ok😀");
        TextStream stream = tokenizer.textStream();
        StringBuilder streamed = new StringBuilder();
        for (int i = 0; i < ids.length - 1; i++) { // stop one byte short of the emoji
            streamed.append(stream.push(ids[i]));
        }
        assertThat(streamed.toString()).isEqualTo("ok");
        assertThat(stream.flush()).isNotEmpty().matches("\uFFFD+");
    }

    @Test
    void specialTokensAddNoText() {
        TextStream stream = tokenizer.textStream();
        StringBuilder streamed = new StringBuilder(stream.push(1)); // <s>
        for (int id : tokenizer.encode("the end")) {
            streamed.append(stream.push(id));
        }
        streamed.append(stream.push(2)).append(stream.flush()); // </s>
        assertThat(streamed.toString()).isEqualTo("the end");
    }

    @Test
    void longStreamsStayConsistent() {
        String text = ("the test 😀 日本 ").repeat(200);
        int[] ids = tokenizer.encode(text);
        TextStream stream = tokenizer.textStream();
        StringBuilder streamed = new StringBuilder();
        for (int id : ids) {
            streamed.append(stream.push(id));
        }
        streamed.append(stream.flush());
        assertThat(streamed.toString()).isEqualTo(tokenizer.decode(ids));
    }

    private static void assertWholeCharacters(String delta) {
        assertThat(delta).doesNotContain("\uFFFD");
        try {
            StandardCharsets.UTF_8.newEncoder().encode(java.nio.CharBuffer.wrap(delta)); // fails on a lone surrogate
        } catch (CharacterCodingException e) {
            throw new AssertionError("delta " + delta + " splits a surrogate pair", e);
        }
    }
}
