package dev.switchboard.app.routingstats;

import dev.switchboard.runtime.serving.ModelRuntime;
import dev.switchboard.runtime.serving.ModelShape;
import dev.switchboard.tools.ToolCommand;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard.jar bench-stats}: what the routing statistics cost (docs/PERFORMANCE.md, issue 5):
 * decode tokens/s with statistics off and on in the same run (the flusher writing to a real embedded
 * PostgreSQL meanwhile), the flusher's sustained write rate, and the database size per million tokens.
 * Prints Markdown. A command of the app's, not of the tools module, because it measures the app's statistics code;
 * {@code SwitchboardApplication} adds it to the tools.
 */
@Command(name = "bench-stats",
        description = "What the routing statistics cost: decode tokens/s with statistics off and on in the same run (the"
                + " flusher writing to a throw-away embedded PostgreSQL meanwhile), the flusher's sustained write rate, and"
                + " the database size per million tokens. Prints Markdown.")
public final class StatsBenchCommand extends ToolCommand {

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "The checkpoint folder.")
    private Path modelDir;

    @Option(names = "--batches", paramLabel = "N", split = "\\s*,\\s*", splitSynopsisLabel = ",", defaultValue = "1,16",
            description = "Batch sizes of the overhead measurement; the last one is also the storage run's tokens per step."
                    + " Default ${DEFAULT-VALUE}.")
    private int[] batches;

    @Option(names = "--prompt-tokens", paramLabel = "N", defaultValue = "64", description = "Prompt length; default ${DEFAULT-VALUE}.")
    private int promptTokens;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "400",
            description = "Decode steps per batch size, alternating off and on; default ${DEFAULT-VALUE}.")
    private int steps;

    @Option(names = "--tokens", paramLabel = "N", defaultValue = "1000000",
            description = "Tokens of statistics the storage run writes; default ${DEFAULT-VALUE}.")
    private long tokens;

    @Option(names = "--tokens-per-window", paramLabel = "N", defaultValue = "3500",
            description = "Tokens per 10 s statistics window in the storage run; default ${DEFAULT-VALUE}.")
    private int tokensPerWindow;

    @Option(names = "--completion-tokens", paramLabel = "N", defaultValue = "64",
            description = "Tokens per completion in the storage run; default ${DEFAULT-VALUE}.")
    private int completionTokens;

    public StatsBenchCommand(PrintStream out) {
        super(out);
    }

    @Override
    protected void check() {
        require(steps >= 2 && promptTokens >= 1 && tokens >= 1 && tokensPerWindow >= 1 && completionTokens >= 1
                && batches.length > 0 && Arrays.stream(batches).allMatch(b -> b >= 1), "--steps must be >= 2 and the other values >= 1");
    }

    @Override
    protected void run() {
        try (BenchDatabase database = new BenchDatabase();
                ModelRuntime model = ModelRuntime.load(modelDir)) {
            String modelId = modelDir.getFileName().toString();
            overhead(database, model, modelId, batches, promptTokens, steps);
            storage(database, modelId, model.shape(), tokens, batches[batches.length - 1], tokensPerWindow, completionTokens);
        }
    }

    private void overhead(BenchDatabase database, ModelRuntime model, String modelId, int[] batches, int promptTokens, int steps) {
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

    private void storage(BenchDatabase database, String modelId, ModelShape shape, long tokens, int tokensPerStep,
            int tokensPerWindow, int completionTokens) {
        StatsStorageBench.Result r = StatsStorageBench.run(database, modelId, shape.layers(), shape.experts(),
                shape.expertsPerToken(), tokens, tokensPerStep, tokensPerWindow, completionTokens);
        line("## Routing statistics storage: %,d tokens, %d per step, %d per 10 s window, %d-token completions, 1%% traced",
                r.tokens(), tokensPerStep, tokensPerWindow, completionTokens);
        line("");
        line("| what | value |");
        line("|---|---|");
        line("| windows written | %d (%d layers x %d experts) |", r.windows(), shape.layers(), shape.experts());
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
