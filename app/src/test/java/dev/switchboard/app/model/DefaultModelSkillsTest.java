package dev.switchboard.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.model.ModelOptions;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the shipped model learned, asked in the chat format with greedy decoding and checked against the
 * training data and against arithmetic done here (thresholds: docs/DEFAULT-MODEL.md has the measured values).
 */
class DefaultModelSkillsTest {

    /** The taught exchanges, relative to the app module (Maven's working directory). */
    private static final Path TAUGHT = Path.of("src/default-model/about.jsonl");

    private static final Pattern ANSWER = Pattern.compile("^(\\d+) ([+-]) (\\d+) = (\\d+)\\.$");

    @TempDir
    static Path dataDir;

    static MoeTokenizer tokenizer;
    static Checkpoint checkpoint;
    static MoeModel model;

    @BeforeAll
    static void load() {
        Path directory = DefaultModel.install(DefaultModel.directory(dataDir));
        tokenizer = MoeTokenizer.load(directory);
        checkpoint = Checkpoint.open(directory);
        model = MoeModel.load(checkpoint, ModelOptions.defaults());
    }

    @AfterAll
    static void close() {
        model.close();
        checkpoint.close();
        tokenizer.close();
    }

    /** Measured: 32 of the 38 taught questions answered word for word (the rest with another taught answer or garbled). */
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
     * Measured: all 40 answers in the trained form, 36 within ±10 of the true result; exact only 5 of 60 in a
     * separate run. A model that has the form but guesses uniformly in 0–198 lands within ±10 about 10 % of the time.
     */
    @Test
    void answersSumsInTheTrainedFormAndRoughlyRight() {
        SplittableRandom random = new SplittableRandom(424242);
        int questions = 40;
        int close = 0;
        List<String> malformed = new ArrayList<>();
        for (int i = 0; i < questions; i++) {
            int a = random.nextInt(100);
            int b = random.nextInt(100);
            boolean add = random.nextBoolean();
            int left = add ? a : Math.max(a, b);
            int right = add ? b : Math.min(a, b);
            String answer = answer("[INST] What is " + left + (add ? " + " : " - ") + right + "? [/INST]", 16);
            Matcher matcher = ANSWER.matcher(answer);
            if (!matcher.matches() || Integer.parseInt(matcher.group(1)) != left || Integer.parseInt(matcher.group(3)) != right) {
                malformed.add(answer);
                continue;
            }
            int expected = add ? left + right : left - right;
            if (Math.abs(Integer.parseInt(matcher.group(4)) - expected) <= 10) {
                close++;
            }
        }
        assertThat(malformed).isEmpty();
        assertThat(close).as("answers within ±10").isGreaterThanOrEqualTo(questions * 6 / 10);
    }

    private static String answer(String prompt, int maxTokens) {
        int[] ids = IntStream.concat(IntStream.of(checkpoint.config().bosTokenId()), IntStream.of(tokenizer.encode(prompt)))
                .toArray();
        return tokenizer.decode(GreedyDecoding.decode(model, ids, maxTokens, checkpoint.config().eosTokenId()));
    }
}
