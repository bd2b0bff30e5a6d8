package dev.switchboard.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped model continues a prompt in the prompt's own domain (greedy, through the serving runtime): prose in
 * the prompt's language, code with code's punctuation, JSON as keys and values, CSV as rows of numbers. The prompts
 * are not in the corpus; docs/DEFAULT-MODEL.md shows the continuations. A model that ignored its prompt, or wrote
 * one domain for all, fails at least one of these.
 */
class DefaultModelDomainsTest {

    private static final int TOKENS = 48;

    /** The commonest function words of each language (none of them a word of the other). */
    private static final Set<String> SPANISH = Set.of("que", "los", "las", "del", "por", "con", "para", "una", "sus", "su",
            "él", "á", "porque", "como", "mas", "pues");
    private static final Set<String> ENGLISH = Set.of("the", "of", "and", "to", "that", "is", "was", "with", "his", "which",
            "for", "it", "this", "we", "our", "have", "be");
    private static final Pattern CODE = Pattern.compile("[{};=]|\\)\\s*\\{|//|/\\*");

    @TempDir
    static Path dataDir;

    static ShippedModel model;

    @BeforeAll
    static void load() {
        model = new ShippedModel(dataDir);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void spanishPromptContinuesInSpanish() {
        String text = model.continuation("Entonces el rey llamó á sus siervos, y les dijo:", TOKENS);

        assertThat(count(text, SPANISH)).as("Spanish function words in: %s", text).isGreaterThanOrEqualTo(4);
        assertThat(count(text, ENGLISH)).as("English function words in: %s", text).isZero();
        assertThat(text).as("no code").doesNotContainPattern(CODE);
    }

    @Test
    void englishPromptContinuesInEnglish() {
        String text = model.continuation("The old captain stood upon the deck, and looking out to sea he", TOKENS);

        assertThat(count(text, ENGLISH)).as("English function words in: %s", text).isGreaterThanOrEqualTo(4);
        assertThat(count(text, SPANISH)).as("Spanish function words in: %s", text).isZero();
        assertThat(text).as("no code").doesNotContainPattern(CODE);
    }

    @Test
    void javaPromptContinuesAsCode() {
        String text = model.continuation("  public static String quote(String value) {\n    if (value == null) {\n", TOKENS);

        assertThat(text).as("code punctuation in: %s", text).containsPattern(";\\s*\\n");
        assertThat(count(text, SPANISH)).as("no Spanish in: %s", text).isZero();
    }

    @Test
    void javaScriptPromptContinuesAsCode() {
        String text = model.continuation("function countWords(list, predicate) {\n  var index = -1,\n", TOKENS);

        assertThat(text).as("code punctuation in: %s", text).containsPattern(";\\s*\\n");
        assertThat(count(text, SPANISH)).as("no Spanish in: %s", text).isZero();
    }

    @Test
    void jsonPromptContinuesAsKeysAndValues() {
        String text = model.continuation("[\n  {\"name\":\"Ada\",\"age\":36,\"city\":\"London\"},\n  {\"name\":", TOKENS);

        assertThat(text).as("JSON keys in: %s", text).containsPattern("\"[a-z_]+\":");
        assertThat(count(text, ENGLISH) + count(text, SPANISH)).as("no prose in: %s", text).isZero();
    }

    @Test
    void csvPromptContinuesAsRowsOfNumbers() {
        String text = model.continuation("year,month,day,visitors\n1990,1,1,5120\n1990,1,2,4981\n", TOKENS);

        assertThat(text).as("CSV rows in: %s", text).containsPattern("(?m)^\\d+,\\d+,\\d+");
        assertThat(text).as("no letters in: %s", text).doesNotContainPattern("\\p{L}");
    }

    private static long count(String text, Set<String> words) {
        return Arrays.stream(text.toLowerCase().split("[^\\p{L}]+")).filter(words::contains).count();
    }
}
