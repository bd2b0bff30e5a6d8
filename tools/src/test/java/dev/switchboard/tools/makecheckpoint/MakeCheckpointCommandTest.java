package dev.switchboard.tools.makecheckpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.checkpoint.MixtralTensorLayout;
import dev.switchboard.runtime.model.ForwardOptions;
import dev.switchboard.runtime.model.ModelOptions;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.model.SequenceState;
import dev.switchboard.runtime.model.StepInput;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import dev.switchboard.tools.ToolRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make-checkpoint} writes a checkpoint that the real loader accepts and the real model runs, with a
 * tokenizer that covers every id the model can emit, reproducibly from its seed.
 */
class MakeCheckpointCommandTest {

    @TempDir
    Path temp;

    @Test
    void aTinyCheckpointLoadsAndRunsAForward() throws Exception {
        Path dir = make("tiny-f32", "--size", "tiny", "--seed", "3");

        MixtralConfig expected = CheckpointSize.TINY.config();
        try (MoeTokenizer tokenizer = MoeTokenizer.load(dir);
                Checkpoint checkpoint = Checkpoint.open(dir);
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults())) {
            assertThat(checkpoint.config()).isEqualTo(expected);
            assertThat(tokenizer.vocabSize()).isEqualTo(expected.vocabSize());
            // Every id a random model can emit must decode, or generation would fail on its first odd token.
            assertThat(tokenizer.decode(IntStream.range(0, expected.vocabSize()).toArray())).isNotEmpty();

            int[] prompt = IntStream.concat(IntStream.of(expected.bosTokenId()),
                    IntStream.of(tokenizer.encode("The router picks two experts"))).toArray();
            float[] logits = lastLogits(model, prompt);
            assertThat(logits).hasSize(expected.vocabSize());
            for (float logit : logits) {
                assertThat(logit).isFinite();
            }
            // Random but not degenerate: the logits spread, so greedy decoding is not a constant.
            assertThat(spread(logits)).isGreaterThan(1f);
        }
    }

    @Test
    void bf16HoldsTheF32WeightsRoundedSoTheModelsAgree() throws Exception {
        Path f32 = make("f32", "--size", "tiny", "--seed", "5");
        Path bf16 = make("bf16", "--size", "tiny", "--seed", "5", "--dtype", "bf16");

        assertThat(Files.size(bf16.resolve("model.safetensors"))).isLessThan(Files.size(f32.resolve("model.safetensors")));
        int[] prompt = {1, 5, 9, 300, 42, 7};
        float[] full = run(f32, prompt);
        float[] rounded = run(bf16, prompt);
        // BF16 keeps 8 significant bits (relative error up to 2^-9 per weight); the logits move a little, not much.
        float maxDifference = 0;
        for (int i = 0; i < full.length; i++) {
            maxDifference = Math.max(maxDifference, Math.abs(full[i] - rounded[i]));
        }
        assertThat(maxDifference).isGreaterThan(0f).isLessThan(0.05f * spread(full));
    }

    @Test
    void theSameArgumentsWriteTheSameBytesAndAnotherSeedOtherWeights() throws Exception {
        Path first = make("a", "--size", "tiny", "--seed", "11");
        Path again = make("b", "--size", "tiny", "--seed", "11");
        Path other = make("c", "--size", "tiny", "--seed", "12");

        for (String file : List.of("model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json")) {
            assertThat(Files.readAllBytes(again.resolve(file))).as(file).isEqualTo(Files.readAllBytes(first.resolve(file)));
        }
        assertThat(Files.readAllBytes(other.resolve("model.safetensors")))
                .isNotEqualTo(Files.readAllBytes(first.resolve("model.safetensors")));
    }

    @Test
    void thePresetsHaveTheDocumentedShapes() {
        // docs/PERFORMANCE.md quotes these sizes for the benchmarks' checkpoints.
        assertThat(parameters(CheckpointSize.TINY.config())).isBetween(285_000L, 295_000L);
        assertThat(parameters(CheckpointSize.SMALL.config())).isBetween(21_000_000L, 22_500_000L);
        MixtralConfig medium = CheckpointSize.MEDIUM.config();
        assertThat(parameters(medium)).isBetween(635_000_000L, 645_000_000L);
        assertThat(medium.numLocalExperts()).isEqualTo(8);
        assertThat(medium.numExpertsPerTok()).isEqualTo(2);
        assertThat(medium.vocabSize()).isEqualTo(32000);
    }

    @Test
    void mistakesAreUsageErrorsThatSayWhatToUse() {
        assertUsageMistake(ToolRun.of("make-checkpoint", "--size", "tiny"), "--out");
        assertUsageMistake(ToolRun.of("make-checkpoint", "--out", temp.resolve("x").toString(), "--size", "huge"), "tiny, small, medium");
        assertUsageMistake(ToolRun.of("make-checkpoint", "--out", temp.resolve("x").toString(), "--dtype", "f16"), "f32 or bf16");
        assertThat(temp.resolve("x")).doesNotExist();
    }

    private static void assertUsageMistake(ToolRun run, String named) {
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains(named).contains("usage: make-checkpoint");
    }

    private Path make(String name, String... flags) {
        Path dir = temp.resolve(name);
        List<String> args = new ArrayList<>(List.of("make-checkpoint", "--out", dir.toString()));
        args.addAll(List.of(flags));
        ToolRun run = ToolRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).startsWith("wrote ");
        return dir;
    }

    private static float[] run(Path dir, int[] prompt) {
        try (Checkpoint checkpoint = Checkpoint.open(dir);
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults())) {
            return lastLogits(model, prompt);
        }
    }

    private static float[] lastLogits(MoeModel model, int[] prompt) {
        try (SequenceState sequence = model.newSequence()) {
            return model.forward(List.of(new StepInput(sequence, prompt)), ForwardOptions.DEFAULT).lastLogits(0);
        }
    }

    private static float spread(float[] values) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max - min;
    }

    private static long parameters(MixtralConfig config) {
        return MixtralTensorLayout.expected(config).values().stream().mapToLong(t -> RandomWeights.count(t.shape())).sum();
    }
}
