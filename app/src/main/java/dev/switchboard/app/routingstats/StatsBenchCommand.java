package dev.switchboard.app.routingstats;

import dev.switchboard.app.cli.CliUsageException;
import dev.switchboard.app.cli.Flags;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.model.ModelOptions;
import dev.switchboard.runtime.model.MoeModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.Locale;

/**
 * {@code switchboard.jar bench-stats}: what the routing statistics cost (docs/PERFORMANCE.md, issue 5):
 * decode tokens/s with statistics off and on in the same run (the flusher writing to a real embedded
 * PostgreSQL meanwhile), the flusher's sustained write rate, and the database size per million tokens.
 * Prints Markdown.
 */
public final class StatsBenchCommand {

    public static final String USAGE = "usage: bench-stats --model DIR [--batches 1,16] [--prompt-tokens 64] [--steps 400]"
            + " [--tokens 1000000] [--tokens-per-window 3500] [--completion-tokens 64]";

    private final PrintStream out;

    public StatsBenchCommand(PrintStream out) {
        this.out = out;
    }

    public void run(List<String> rawArgs) {
        Flags flags = Flags.parse(rawArgs, Set.of("--model", "--batches", "--prompt-tokens", "--steps", "--tokens",
                "--tokens-per-window", "--completion-tokens"));
        Path modelDir = flags.path("--model");
        int[] batches = flags.integers("--batches", new int[] {1, 16});
        int promptTokens = flags.integer("--prompt-tokens", 64);
        int steps = flags.integer("--steps", 400);
        long tokens = flags.longInteger("--tokens", 1_000_000);
        int tokensPerWindow = flags.integer("--tokens-per-window", 3500);
        int completionTokens = flags.integer("--completion-tokens", 64);
        if (modelDir == null) throw new CliUsageException("--model is required");
        if (steps < 2 || promptTokens < 1 || tokens < 1 || tokensPerWindow < 1 || completionTokens < 1
                || Arrays.stream(batches).anyMatch(b -> b < 1)) {
            throw new CliUsageException("--steps must be >= 2 and the other values >= 1");
        }
        try (BenchDatabase database = new BenchDatabase();
                Checkpoint checkpoint = Checkpoint.open(modelDir);
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults())) {
            String modelId = modelDir.getFileName().toString();
            overhead(database, model, modelId, batches, promptTokens, steps);
            MixtralConfig config = model.config();
            storage(database, modelId, config, tokens, batches[batches.length - 1], tokensPerWindow, completionTokens);
        }
    }

    private void overhead(BenchDatabase database, MoeModel model, String modelId, int[] batches, int promptTokens, int steps) {
        RoutingStatsProperties properties = RoutingStatsProperties.defaults();
        RoutingStatsMetrics metrics = new RoutingStatsMetrics(new SimpleMeterRegistry());
        RoutingStatsRecorder recorder = new RoutingStatsRecorder(properties, Clock.systemUTC(), metrics);
        RoutingStatsFlusher flusher = new RoutingStatsFlusher(recorder, new WindowBuffer(properties.bufferBudget().toBytes(), metrics),
                database.writer("bench-live/" + System.nanoTime()), database.retention(properties), metrics, Clock.systemUTC(), properties);
        line("## Routing statistics overhead: %s, %d cores, Java %s", modelId, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        line("");
        line("Decode steps alternate off / on over the same sequences (%d-token prompts, %d steps each); medians.", promptTokens, steps / 2);
        line("");
        line("| batch | off: step (ms) | off: tokens/s | on: step (ms) | on: tokens/s | on vs off (medians) | on vs off (median of pairs) |");
        line("|---|---|---|---|---|---|---|");
        flusher.start(); // writes every second in the background, as in the server
        try {
            StatsDecodeOverhead.run(model, recorder, modelId, batches[0], promptTokens, Math.min(steps, 40)); // warm-up
            for (int batch : batches) {
                StatsDecodeOverhead.Result r = StatsDecodeOverhead.run(model, recorder, modelId, batch, promptTokens, steps);
                line("| %d | %.2f | %.1f | %.2f | %.1f | %+.1f%% | %+.1f%% |", batch, r.offStepNanos() / 1e6, r.offTokensPerSecond(),
                        r.onStepNanos() / 1e6, r.onTokensPerSecond(), r.slowdownPercent(), 100 * r.pairedSlowdown());
            }
        } finally {
            flusher.stop();
        }
        line("");
    }

    private void storage(BenchDatabase database, String modelId, MixtralConfig config, long tokens, int tokensPerStep,
            int tokensPerWindow, int completionTokens) {
        StatsStorageBench.Result r = StatsStorageBench.run(database, modelId, config.numHiddenLayers(), config.numLocalExperts(),
                config.numExpertsPerTok(), tokens, tokensPerStep, tokensPerWindow, completionTokens);
        line("## Routing statistics storage: %,d tokens, %d per step, %d per 10 s window, %d-token completions, 1%% traced",
                r.tokens(), tokensPerStep, tokensPerWindow, completionTokens);
        line("");
        line("| what | value |");
        line("|---|---|");
        line("| windows written | %d (%d layers x %d experts) |", r.windows(), config.numHiddenLayers(), config.numLocalExperts());
        line("| rows: expert_window / layer_window / completion_request / token_trace | %,d / %,d / %,d / %,d |",
                r.expertRows(), r.layerRows(), r.requestRows(), r.traceRows());
        line("| time spent flushing | %.2f s |", r.flushSeconds());
        line("| sustained flush rate | %.0f windows/s, %,.0f rows/s |", r.windows() / r.flushSeconds(), r.rows() / r.flushSeconds());
        line("| database size (pg_total_relation_size of the statistics tables) | %,d bytes |", r.bytes());
        r.bytesPerTable().forEach((table, bytes) -> line("| - of which %s | %,d bytes |", table, bytes));
        line("| per million tokens | %.1f MB |", r.bytesPerMillionTokens() / 1e6);
    }

    private void line(String format, Object... values) {
        out.println(String.format(Locale.ROOT, format, values));
    }
}
