package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the packaged jar's {@code generate} command as a user would ({@code java -jar switchboard.jar
 * generate ...}) on the committed reference checkpoints (Mixtral and the other families), and compares with what an
 * independent numpy implementation of Hugging Face semantics computed (see the fixtures' regenerate.sh). Also checks that
 * the jar runs every tool, the tools module's and the app's own.
 */
class GenerateCommandIT {

    private static final Path JAR = Path.of("target/switchboard.jar");
    private static final Path FIXTURES = Path.of("../router-service/src/test/resources/fixtures");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** f32 logits of the Java forward vs numpy's, absolute (issue: 1e-4). */
    private static final double LOGIT_TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"tiny-gqa-top2", "mha-top1", "gqa6-top2", "qwen2-moe-shared", "qwen3-moe-headdim", "olmoe-clip"})
    void greedyJsonRunMatchesTheReference(String fixture) throws Exception {
        JsonNode expectedRun = expected(fixture, "generate");
        JsonNode expectedLogits = expected(fixture, "logits");

        Run run = generate("--model", FIXTURES.resolve(fixture).toString(), "--prompt-ids", ids(expectedRun.get("prompt_ids")),
                "--max-tokens", "16", "--json", "--logits");

        assertThat(run.exitCode).as(run.stderr).isZero();
        JsonNode out = JSON.readTree(run.stdout);
        assertThat(ids(out.get("prompt_ids"))).isEqualTo(ids(expectedRun.get("prompt_ids")));
        assertThat(ids(out.get("generated_ids"))).isEqualTo(ids(expectedRun.get("generated_ids")));
        assertThat(out.get("finish_reason").asString()).isEqualTo("length");
        assertThat(out.get("tokens_per_second").asDouble()).isPositive();
        JsonNode logits = out.get("last_logits");
        assertThat(logits.size()).isEqualTo(expectedLogits.get("logits").size());
        for (int i = 0; i < logits.size(); i++) {
            assertThat(logits.get(i).asDouble()).as("logit %d", i)
                    .isCloseTo(expectedLogits.get("logits").get(i).asDouble(), within(LOGIT_TOLERANCE));
        }
    }

    @Test
    void traceReportsEveryPromptAndGeneratedTokenThroughEveryLayer() throws Exception {
        Run run = generate("--model", FIXTURES.resolve("tiny-gqa-top2").toString(), "--prompt", "Hello world",
                "--max-tokens", "5", "--json", "--trace");

        assertThat(run.exitCode).as(run.stderr).isZero();
        JsonNode out = JSON.readTree(run.stdout);
        int prompt = out.get("prompt_ids").size();
        int generated = out.get("generated_ids").size();
        JsonNode routing = out.get("routing");
        assertThat(routing.size()).isEqualTo(prompt + generated);
        for (int t = 0; t < routing.size(); t++) {
            JsonNode token = routing.get(t);
            assertThat(token.get("position").asInt()).isEqualTo(t);
            assertThat(token.get("source").asString()).isEqualTo(t < prompt ? "prompt" : "generated");
            int expectedId = t < prompt ? out.get("prompt_ids").get(t).asInt() : out.get("generated_ids").get(t - prompt).asInt();
            assertThat(token.get("token_id").asInt()).isEqualTo(expectedId);
            assertThat(token.get("layers").size()).isEqualTo(2);
            for (JsonNode layer : token.get("layers")) {
                assertThat(layer.get("experts").size()).isEqualTo(2); // top-2
                double sum = layer.get("weights").get(0).asDouble() + layer.get("weights").get(1).asDouble();
                assertThat(sum).isCloseTo(1.0, within(1e-5)); // Mixtral renormalises the top-k weights
            }
        }
    }

    @Test
    void sameSeedSamplesTheSameTokens() throws Exception {
        String[] args = {"--model", FIXTURES.resolve("tiny-gqa-top2").toString(), "--prompt", "the", "--max-tokens", "12",
                "--temperature", "1.3", "--top-p", "0.95", "--seed", "42", "--json"};
        JsonNode first = JSON.readTree(generate(args).stdout);
        JsonNode second = JSON.readTree(generate(args).stdout);

        assertThat(first.get("generated_ids")).isEqualTo(second.get("generated_ids"));
    }

    @Test
    void humanReadableRunStreamsTheText() throws Exception {
        Run run = generate("--model", FIXTURES.resolve("tiny-gqa-top2").toString(), "--prompt-ids", "1,5,9", "--max-tokens", "4");

        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.stdout).contains("[4 tokens, length");
    }

    @Test
    void aUsageMistakeExitsWithStatusTwoAndNothingOnStdout() throws Exception {
        Run run = generate("--model", "x", "--prompt", "a", "--prompt-ids", "1", "--max-tokens", "3");

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.stdout).isEmpty();
        assertThat(run.stderr).contains("give exactly one of --prompt and --prompt-ids").contains("usage: generate");
    }

    @Test
    void aMissingModelDirectoryIsOneClearError() throws Exception {
        Run run = generate("--model", "/nonexistent/model", "--prompt-ids", "1", "--max-tokens", "3", "--json");

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.stdout).isEmpty();
        assertThat(run.stderr).contains("/nonexistent/model");
    }

    @ParameterizedTest
    @ValueSource(strings = {"generate", "bench", "bench-stats", "bench-stats-reads", "loadgen", "train", "eval", "lab", "make-checkpoint", "calibrate"})
    void theJarRunsEveryToolAndEachExplainsItself(String tool) throws Exception {
        Run run = jar(tool, "--help");

        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.stdout).startsWith("usage: " + tool + " ").contains("--help");
    }

    private static JsonNode expected(String fixture, String event) throws IOException {
        for (String line : Files.readAllLines(FIXTURES.resolve(fixture).resolve("expected.jsonl"))) {
            JsonNode node = JSON.readTree(line);
            if (node.get("event").asString().equals(event)) {
                return node;
            }
        }
        throw new IllegalStateException(fixture + " has no " + event + " line");
    }

    private static String ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(id -> ids.add(String.valueOf(id.asInt())));
        return String.join(",", ids);
    }

    private static Run generate(String... args) throws Exception {
        List<String> withCommand = new ArrayList<>(List.of("generate"));
        withCommand.addAll(List.of(args));
        return jar(withCommand.toArray(String[]::new));
    }

    private static Run jar(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile(args[0], ".out");
        Path stderr = Files.createTempFile(args[0], ".err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(args[0] + " did not finish in 120 s: " + command);
        }
        return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private record Run(int exitCode, String stdout, String stderr) {}
}
