package dev.switchboard.runtime.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The trainer reports every step's routing per layer ({@link Trainer.Listener#onRouting}), and a model configured for
 * Switch routing trains with capacity-limited dispatch: its steps drop tokens.
 */
class TrainerRoutingHookTest {

    private static final int BATCH = 4;
    private static final int WINDOW = 16;

    @Test
    void topTwoReportsTwoChoicesPerTokenEveryStep() {
        List<Step> steps = train(config("topk", 1.25));
        assertThat(steps).extracting(Step::step).containsExactly(1, 2, 3);
        for (Step step : steps) {
            assertThat(step.layers()).extracting(RoutingLoad::layer).containsExactly(0, 1);
            for (RoutingLoad layer : step.layers()) {
                assertThat(layer.tokens()).isEqualTo(BATCH * WINDOW);
                assertThat(sum(layer.load())).isEqualTo(2L * BATCH * WINDOW);
                assertThat(layer.droppedTokens()).isZero();
            }
        }
    }

    @Test
    void switchRoutingAtAQuarterOfTheEvenShareDropsAtLeastThreeQuartersOfTheTokens() {
        // 64 tokens over 4 experts at capacity factor 0.25: each expert takes at most ceil(64 · 0.25 / 4) = 4.
        for (Step step : train(config("switch", 0.25))) {
            for (RoutingLoad layer : step.layers()) {
                assertThat(java.util.Arrays.stream(layer.load()).max().orElseThrow()).isLessThanOrEqualTo(4);
                assertThat(sum(layer.load()) + layer.droppedTokens()).isEqualTo(BATCH * WINDOW);
                assertThat(layer.droppedTokens()).isGreaterThanOrEqualTo(48);
            }
        }
    }

    private record Step(int step, List<RoutingLoad> layers) {}

    private static List<Step> train(MixtralConfig config) {
        int[] tokens = new int[2000];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = 3 + (i * 7) % 40;
        }
        TokenWindows windows = new TokenWindows(List.of(new TokenWindows.Domain("pattern", tokens, 1)), WINDOW);
        List<TokenWindows.Batch> heldOut = List.of(windows.sample(2, new SplittableRandom(5)));
        TrainingOptions options = new TrainingOptions(3, BATCH, WINDOW, 1e-2f, 1, 0f, 0.01f, 0.001f, 11);
        List<Step> steps = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager();
                TrainableMixtral model = TrainableMixtral.initialise(config, options.seed(), WINDOW, manager)) {
            new Trainer(options, new Trainer.Listener() {
                @Override
                public void onStep(Trainer.StepReport report) {}

                @Override
                public void onEvaluation(Trainer.Evaluation evaluation) {}

                @Override
                public void onSkippedStep(int step, String reason) {
                    throw new AssertionError("step " + step + " skipped: " + reason);
                }

                @Override
                public void onRouting(int step, List<RoutingLoad> layers) {
                    steps.add(new Step(step, layers));
                }
            }, 3, 1).train(model, windows, heldOut);
        }
        return steps;
    }

    private static MixtralConfig config(String routing, double capacityFactor) {
        return new MixtralConfig(MixtralConfig.MIXTRAL, 32, 64, 2, 4, 2, 8, 4, 2, 1e-5, 10000, 256, 48, false, 1, 2,
                true, routing, capacityFactor, "swiglu");
    }

    private static long sum(long[] values) {
        long sum = 0;
        for (long v : values) sum += v;
        return sum;
    }
}
