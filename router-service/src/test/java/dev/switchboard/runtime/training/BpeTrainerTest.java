package dev.switchboard.runtime.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A learned vocabulary written as tokenizer.json and read back by the Hugging Face tokenizer the server uses. */
class BpeTrainerTest {

    private static final List<String> CORPUS = corpus();

    @Test
    void vocabularyHasTheLlamaLayoutAndTheRequestedSize() {
        BpeTrainer.Vocabulary vocabulary = BpeTrainer.train(CORPUS, 400);
        assertThat(vocabulary.pieces()).hasSize(400);
        assertThat(vocabulary.pieces().subList(0, 3)).containsExactly("<unk>", "<s>", "</s>");
        assertThat(vocabulary.pieces().get(3)).isEqualTo("<0x00>");
        assertThat(vocabulary.pieces().get(258)).isEqualTo("<0xFF>");
        assertThat(vocabulary.pieces()).doesNotHaveDuplicates();
        for (String[] merge : vocabulary.merges()) {
            assertThat(vocabulary.pieces()).contains(merge[0] + merge[1]);
            assertThat((merge[0] + merge[1]).chars().anyMatch(Character::isDigit)).isFalse();
        }
    }

    @Test
    void writtenTokenizerRoundTripsTextAndCompressesIt(@TempDir Path directory) {
        TokenizerWriter.write(BpeTrainer.train(CORPUS, 400), directory);
        try (MoeTokenizer tokenizer = MoeTokenizer.load(directory)) {
            for (String text : List.of("the router sends every token to two experts",
                    "  indented code() { return 42; }", "unseen bytes: \u00e9t\u00e9 \u2603 \uD83D\uDE00", "12 + 30 = 42")) {
                assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
            }
            String sentence = "the router sends every token to the experts it picks";
            assertThat(tokenizer.encode(sentence).length).isLessThan(sentence.length() / 3);
            assertThat(tokenizer.encode("2024")).hasSize(5); // ▁ and four digits: digits are never merged
            assertThat(tokenizer.encode("<s>[INST] hi [/INST]ok</s>")[0]).isEqualTo(BpeTrainer.Vocabulary.BOS);
            assertThat(tokenizer.chatTemplate()).contains(TokenizerWriter.CHAT_TEMPLATE);
        }
    }

    private static List<String> corpus() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            texts.add("the router sends every token to the experts it picks, and the experts compute only "
                    + "their tokens. the router learns which expert is best for every token.");
            texts.add("    public int route(int token) {\n        return experts[token % " + i + "];\n    }");
        }
        return texts;
    }
}
