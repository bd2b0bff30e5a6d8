package dev.switchboard.runtime.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.runtime.checkpoint.MixtralConfig;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fixtures' byte-fallback BPE tokenizer: round trips, pieces, special tokens, chat template. */
class MoeTokenizerTest {

    static final String MULTI_BYTE = "Grüße aus Köln — 日本語 😀 and 🧪 ok";

    private static Path modelDir;
    private static MoeTokenizer tokenizer;

    @BeforeAll
    static void load() throws URISyntaxException {
        modelDir = Path.of(MoeTokenizerTest.class.getResource("/fixtures/tiny-gqa-top2").toURI());
        tokenizer = MoeTokenizer.load(modelDir);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"The quick brown fox jumps over the lazy dog.", "Hello world! How are you today?",
        "numbers 1, 2, 3, 10, 42 and 2024", "  leading spaces and\nnew lines\ttabs", MULTI_BYTE})
    void encodeThenDecodeGivesTheTextBack(String text) {
        int[] ids = tokenizer.encode(text);
        assertThat(ids).isNotEmpty();
        assertThat(Arrays.stream(ids).boxed().toList())
                .allSatisfy(id -> assertThat(id).isBetween(0, tokenizer.vocabSize() - 1));
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
    }

    @Test
    void encodeAddsNoSpecialTokens() {
        MixtralConfig config = MixtralConfig.fromJson(modelDir.resolve("config.json"));
        int[] ids = tokenizer.encode("the test");
        assertThat(ids).doesNotContain(config.bosTokenId(), config.eosTokenId());
        assertThat(tokenizer.tokenText(config.bosTokenId())).isEqualTo("<s>");
        assertThat(tokenizer.tokenText(config.eosTokenId())).isEqualTo("</s>");
        assertThat(tokenizer.vocabSize()).isEqualTo(config.vocabSize());
    }

    @Test
    void decodeSkipsSpecialTokens() {
        int[] ids = tokenizer.encode("the test");
        int[] framed = new int[ids.length + 2];
        framed[0] = 1;
        System.arraycopy(ids, 0, framed, 1, ids.length);
        framed[framed.length - 1] = 2;
        assertThat(tokenizer.decode(framed)).isEqualTo("the test");
    }

    @Test
    void charactersOutsideTheVocabularyFallBackToTheirUtf8Bytes() {
        // 😀 is U+1F600 = F0 9F 98 80 in UTF-8; the vocabulary has no such piece, so four byte tokens
        List<String> pieces = new ArrayList<>();
        for (int id : tokenizer.encode("😀")) {
            pieces.add(tokenizer.tokenText(id));
        }
        assertThat(pieces).endsWith("<0xF0>", "<0x9F>", "<0x98>", "<0x80>");
    }

    @Test
    void tokenTextShowsPiecesForTraces() {
        int[] ids = tokenizer.encode("the");
        String joined = String.join("", Arrays.stream(ids).mapToObj(tokenizer::tokenText).toList());
        assertThat(joined).isEqualTo("\u2581the");
        assertThatThrownBy(() -> tokenizer.tokenText(tokenizer.vocabSize()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the vocabulary");
    }

    @Test
    void chatTemplateComesFromTokenizerConfig() {
        assertThat(tokenizer.chatTemplate()).hasValueSatisfying(template -> assertThat(template)
                .startsWith("{{ bos_token }}").contains("[INST]").contains("eos_token"));
    }

    @Test
    void longInputIsNotTruncated() {
        String text = "the test ".repeat(2000).strip();
        assertThat(tokenizer.encode(text).length).isGreaterThan(2000);
        assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
    }
}
