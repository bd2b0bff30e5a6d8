package dev.switchboard.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the shipped model learned of its chat and arithmetic domains, asked in the chat format with greedy decoding
 * (thresholds: docs/DEFAULT-MODEL.md has the measured values; a longer training run should raise them to word-for-word
 * answers and sums within reach of the truth, as the previous model gave).
 */
class DefaultModelSkillsTest {

    /** The taught exchanges, relative to the app module (Maven's working directory). */
    private static final Path TAUGHT = Path.of("src/default-model/about.jsonl");

    private static final Pattern ANSWER = Pattern.compile("^(\\d+) ([+-]) (\\d+) = (\\d+)\\.$");
    private static final Pattern TOPIC = Pattern.compile("(?i)expert|router|routing|token|Switchboard|feed-forward|capacity");

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

    /**
     * Measured: 37 of the 38 taught questions answered in English about the taught topic (the 38th, on arithmetic,
     * with the taught answer about sums), none word for word (the model saw 92 k chat tokens; docs/DEFAULT-MODEL.md). A model that answered in another domain (Spanish,
     * code, data) would name none of the topic's words or write code's punctuation.
     */
    @Test
    void answersTaughtQuestionsOnTheTaughtTopic() throws IOException {
        List<String> offTopic = new ArrayList<>();
        List<String> lines = Files.readAllLines(TAUGHT).stream().filter(line -> !line.isBlank()).toList();
        for (String line : lines) {
            String question = JsonParser.parseString(line).getAsJsonObject().get("user").getAsString();
            String answer = answer("[INST] " + question + " [/INST]", 64);
            if (!TOPIC.matcher(answer).find() || answer.matches("(?s).*[{};=].*")) {
                offTopic.add(question + " -> " + answer);
            }
        }
        assertThat(lines.size() - offTopic.size()).as("answers on the topic; off it: %s", offTopic)
                .isGreaterThanOrEqualTo(lines.size() * 3 / 4);
    }

    /**
     * Measured: all 40 answers in the trained form {@code a + b = c.} with the question's operator, but the
     * operands are rarely the question's and the results not the sums: the form is learned, the arithmetic is not.
     * A model that had not learned the form, or answered a sum with a difference, fails.
     */
    @Test
    void answersSumsInTheTrainedForm() {
        SplittableRandom random = new SplittableRandom(424242);
        List<String> malformed = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int a = random.nextInt(100);
            int b = random.nextInt(100);
            boolean add = random.nextBoolean();
            int left = add ? a : Math.max(a, b);
            int right = add ? b : Math.min(a, b);
            String answer = answer("[INST] What is " + left + (add ? " + " : " - ") + right + "? [/INST]", 16);
            Matcher matcher = ANSWER.matcher(answer);
            if (!matcher.matches() || !matcher.group(2).equals(add ? "+" : "-")) {
                malformed.add(left + (add ? " + " : " - ") + right + " -> " + answer);
            }
        }
        assertThat(malformed).isEmpty();
    }

    private static String answer(String prompt, int maxTokens) {
        return model.continuation(prompt, maxTokens);
    }
}
