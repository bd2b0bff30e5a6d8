package dev.switchboard.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.model.ForwardOptions;
import dev.switchboard.runtime.model.ModelOptions;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.model.SequenceState;
import dev.switchboard.runtime.model.StepInput;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shipped default model, installed from the class path as the server does, against the independent numpy
 * reference (files made by {@code app/src/test/resources/default-model-reference/regenerate.sh} with the same
 * prompts): the tokenizer's ids, the logits at the last prompt position and 16 greedy tokens.
 */
class DefaultModelReferenceTest {

    /** BF16 weights up-cast exactly on both sides, then float32 in a different operation order. */
    private static final float TOLERANCE = 1e-4f;

    @TempDir
    static Path dataDir;

    static Path model;

    @BeforeAll
    static void install() {
        model = DefaultModel.install(DefaultModel.directory(dataDir));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "chat    | [INST] What is 12 + 30? [/INST]",
        "english | The whale rose slowly from the sea and",
        "spanish | Y respondió el rey, y dijo:",
        "code    | public final class JsonReader implements Closeable {",
        "data    | [{\"year\":1969,\"births\":"})
    void matchesTheNumpyReference(String name, String prompt) throws IOException {
        JsonObject logitsEvent = null;
        JsonObject generateEvent = null;
        for (JsonObject event : events(name)) {
            switch (event.get("event").getAsString()) {
                case "logits" -> logitsEvent = event;
                case "generate" -> generateEvent = event;
                default -> { }
            }
        }
        assertThat(logitsEvent).isNotNull();
        assertThat(generateEvent).isNotNull();
        try (MoeTokenizer tokenizer = MoeTokenizer.load(model);
                Checkpoint checkpoint = Checkpoint.open(model);
                MoeModel moe = MoeModel.load(checkpoint, ModelOptions.defaults())) {
            int[] ids = IntStream.concat(IntStream.of(checkpoint.config().bosTokenId()),
                    IntStream.of(tokenizer.encode(prompt))).toArray();
            assertThat(ids).as("prompt ids").containsExactly(ints(generateEvent.getAsJsonArray("prompt_ids")));

            float[] logits;
            try (SequenceState sequence = moe.newSequence()) {
                logits = moe.forward(List.of(new StepInput(sequence, ids)), ForwardOptions.DEFAULT).lastLogits(0);
            }
            float[] expected = floats(logitsEvent.getAsJsonArray("logits"));
            float max = 0;
            for (int i = 0; i < expected.length; i++) {
                max = Math.max(max, Math.abs(logits[i] - expected[i]));
            }
            assertThat(max).as("max |logit difference|").isLessThan(TOLERANCE);
            assertThat(GreedyDecoding.decode(moe, ids, 16, -1))
                    .containsExactly(ints(generateEvent.getAsJsonArray("generated_ids")));
        }
    }

    private static List<JsonObject> events(String name) throws IOException {
        try (InputStream in = DefaultModelReferenceTest.class.getResourceAsStream("/default-model-reference/" + name + ".jsonl")) {
            assertThat(in).as(name + ".jsonl").isNotNull();
            List<JsonObject> events = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    events.add(JsonParser.parseString(line).getAsJsonObject());
                }
            }
            return events;
        }
    }

    private static int[] ints(JsonArray array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsInt();
        }
        return out;
    }

    private static float[] floats(JsonArray array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsFloat();
        }
        return out;
    }
}
