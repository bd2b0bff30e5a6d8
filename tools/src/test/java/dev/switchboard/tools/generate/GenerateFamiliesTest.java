package dev.switchboard.tools.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.tools.ToolRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code generate} on the committed Qwen2-MoE, Qwen3-MoE and OLMoE checkpoints, through its real command line, against
 * what the independent numpy reference computed for them (router-service's fixtures/regenerate.sh): 16 greedy tokens
 * identical and the last prompt position's logits within 1e-4.
 */
class GenerateFamiliesTest {

    private static final Path FIXTURES = Path.of("../router-service/src/test/resources/fixtures");
    private static final double LOGIT_TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"qwen2-moe-shared", "qwen2-moe-dense-bf16", "qwen3-moe-headdim", "qwen3-moe-bf16",
            "olmoe-clip", "olmoe-bf16"})
    void greedyTokensAndLogitsMatchTheReference(String fixture) throws IOException {
        JsonObject expectedRun = expected(fixture, "generate");
        JsonArray expectedLogits = expected(fixture, "logits").getAsJsonArray("logits");

        ToolRun run = ToolRun.of("generate", "--model", FIXTURES.resolve(fixture).toString(), "--prompt-ids",
                csv(expectedRun.getAsJsonArray("prompt_ids")), "--max-tokens", "16", "--json", "--logits");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonObject out = JsonParser.parseString(run.stdout()).getAsJsonObject();
        assertThat(out.getAsJsonArray("generated_ids")).isEqualTo(expectedRun.getAsJsonArray("generated_ids"));
        JsonArray logits = out.getAsJsonArray("last_logits");
        assertThat(logits.size()).isEqualTo(expectedLogits.size());
        for (int i = 0; i < logits.size(); i++) {
            assertThat(logits.get(i).getAsDouble()).as("logit %d", i)
                    .isCloseTo(expectedLogits.get(i).getAsDouble(), within(LOGIT_TOLERANCE));
        }
    }

    /**
     * The expert spec carries each expert's own inner width (routed, shared, dense), so {@code int8-swiglu} builds
     * every expert of these models from the same weights; weight-only int8 moves the logits a little, not the argmax.
     */
    @ParameterizedTest
    @ValueSource(strings = {"qwen2-moe-dense-bf16", "qwen3-moe-headdim", "olmoe-clip"})
    void int8SwigluServesEveryExpertOfTheFamilies(String fixture, @TempDir Path tmp) throws IOException {
        Path model = tmp.resolve(fixture);
        Files.createDirectories(model);
        try (var files = Files.list(FIXTURES.resolve(fixture))) {
            for (Path file : files.toList()) {
                Files.copy(file, model.resolve(file.getFileName()));
            }
        }
        JsonObject config = JsonParser.parseString(Files.readString(model.resolve("config.json"))).getAsJsonObject();
        config.addProperty("switchboard_expert_kind", "int8-swiglu");
        Files.writeString(model.resolve("config.json"), config.toString());
        JsonObject expectedRun = expected(fixture, "generate");
        JsonArray expectedLogits = expected(fixture, "logits").getAsJsonArray("logits");

        ToolRun run = ToolRun.of("generate", "--model", model.toString(), "--prompt-ids",
                csv(expectedRun.getAsJsonArray("prompt_ids")), "--max-tokens", "1", "--json", "--logits");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonObject out = JsonParser.parseString(run.stdout()).getAsJsonObject();
        assertThat(out.getAsJsonArray("generated_ids").get(0)).isEqualTo(expectedRun.getAsJsonArray("generated_ids").get(0));
        JsonArray logits = out.getAsJsonArray("last_logits");
        double worst = 0;
        for (int i = 0; i < logits.size(); i++) {
            worst = Math.max(worst, Math.abs(logits.get(i).getAsDouble() - expectedLogits.get(i).getAsDouble()));
        }
        assertThat(worst).as("int8 rounding moves the logits, but little").isGreaterThan(0).isLessThan(0.1);
    }

    private static JsonObject expected(String fixture, String event) throws IOException {
        for (String line : Files.readAllLines(FIXTURES.resolve(fixture).resolve("expected.jsonl"))) {
            JsonObject json = JsonParser.parseString(line).getAsJsonObject();
            if (json.get("event").getAsString().equals(event)) {
                return json;
            }
        }
        throw new IllegalStateException(fixture + "/expected.jsonl has no " + event + " line");
    }

    private static String csv(JsonArray ids) {
        return StreamSupport.stream(ids.spliterator(), false).map(id -> id.getAsString()).collect(Collectors.joining(","));
    }
}
