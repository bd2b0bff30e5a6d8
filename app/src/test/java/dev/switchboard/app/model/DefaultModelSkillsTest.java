package dev.switchboard.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
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
 * What the shipped model learned of its chat and arithmetic domains, asked in the chat format with greedy decoding and
 * checked against the training data and against arithmetic done here (thresholds below the values measured in
 * docs/DEFAULT-MODEL.md).
 */
class DefaultModelSkillsTest {

    /** The taught exchanges, relative to the app module (Maven's working directory). */
    private static final Path TAUGHT = Path.of("src/default-model/about.jsonl");

    private static final Pattern ANSWER = Pattern.compile("^(\\d+) ([+-]) (\\d+) = (\\d+)\\.$");

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

    /** Measured: 31 of the 38 taught questions answered word for word (the rest with another taught answer or garbled). */
    @Test
    void repeatsMostTaughtAnswersWordForWord() throws IOException {
        List<String> missed = new ArrayList<>();
        List<String> lines = Files.readAllLines(TAUGHT).stream().filter(line -> !line.isBlank()).toList();
        for (String line : lines) {
            JsonObject exchange = JsonParser.parseString(line).getAsJsonObject();
            String question = exchange.get("user").getAsString();
            String taught = exchange.get("assistant").getAsString();
            String answer = answer("[INST] " + question + " [/INST]", 64);
            if (!answer.equals(taught)) {
                missed.add(question + " -> " + answer);
            }
        }
        assertThat(lines.size() - missed.size()).as("word-for-word answers; missed: %s", missed)
                .isGreaterThanOrEqualTo(lines.size() * 3 / 4);
    }

    /**
     * Measured on fresh draws: every answer in the trained form with the question's operator, the operands copied in
     * 59 of 60 (a one-digit operand was once doubled), 57-65 % within ±10 of the true result, exact only 5 of 60: it
     * learned the magnitude, not the carries. A model that has the form but guesses uniformly in 0-198 lands within
     * ±10 about 10 % of the time.
     */
    @Test
    void answersSumsInTheTrainedFormAndRoughlyRight() {
        SplittableRandom random = new SplittableRandom(424242);
        int questions = 40;
        int close = 0;
        int copied = 0;
        List<String> malformed = new ArrayList<>();
        for (int i = 0; i < questions; i++) {
            int a = random.nextInt(100);
            int b = random.nextInt(100);
            boolean add = random.nextBoolean();
            int left = add ? a : Math.max(a, b);
            int right = add ? b : Math.min(a, b);
            String answer = answer("[INST] What is " + left + (add ? " + " : " - ") + right + "? [/INST]", 16);
            Matcher matcher = ANSWER.matcher(answer);
            if (!matcher.matches() || !matcher.group(2).equals(add ? "+" : "-")) {
                malformed.add(left + (add ? " + " : " - ") + right + " -> " + answer);
                continue;
            }
            if (Integer.parseInt(matcher.group(1)) == left && Integer.parseInt(matcher.group(3)) == right) {
                copied++;
            }
            int expected = add ? left + right : left - right;
            if (Math.abs(Integer.parseInt(matcher.group(4)) - expected) <= 10) {
                close++;
            }
        }
        assertThat(malformed).isEmpty();
        assertThat(copied).as("answers that repeat the question's operands").isGreaterThanOrEqualTo(questions * 9 / 10);
        assertThat(close).as("answers within ±10").isGreaterThanOrEqualTo(questions * 4 / 10);
    }

    private static String answer(String prompt, int maxTokens) {
        return model.continuation(prompt, maxTokens);
    }
}
