package dev.switchboard.tools.bench;

import dev.switchboard.tools.ToolCommand;
import dev.switchboard.runtime.model.DeviceChoice;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line of {@code bench}: picocli fills the fields; {@link #check} checks them and {@link #run} runs
 * {@link BenchCommand}.
 */
@Command(name = "bench",
        description = "The runtime's speed on one checkpoint, measured in one run so the numbers compare as ratios: read"
                + " bandwidth and the decode bound it implies, prefill and decode tokens/s per batch size, the MoE layer sparse"
                + " vs dense, and the cost of the per-step routing statistics. Prints Markdown.")
public final class BenchArguments extends ToolCommand {

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "The checkpoint folder.")
    private Path model;

    @Option(names = "--dtype", paramLabel = "f32|f16", defaultValue = "f32",
            description = "The working type of the weights; default ${DEFAULT-VALUE}.")
    private String dtype;

    @Option(names = "--device", paramLabel = "cpu|gpu|auto", defaultValue = "auto",
            description = "Where the model runs (auto: the GPU when the engine reports one); default ${DEFAULT-VALUE}.")
    private String device;

    @Option(names = "--batches", paramLabel = "N", split = "\\s*,\\s*", splitSynopsisLabel = ",", defaultValue = "1,8",
            description = "Batch sizes to measure; default ${DEFAULT-VALUE}.")
    private int[] batches;

    @Option(names = "--prompt-tokens", paramLabel = "N", defaultValue = "128",
            description = "Prompt length of every sequence; default ${DEFAULT-VALUE}.")
    private int promptTokens;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "32",
            description = "Decode steps per measurement, at least 2; default ${DEFAULT-VALUE}.")
    private int steps;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
            description = "Measurements per batch size, the fastest reported; default ${DEFAULT-VALUE}.")
    private int rounds;

    public BenchArguments(PrintStream out) {
        super(out);
    }

    @Override
    protected void check() {
        require(dtype.equals("f32") || dtype.equals("f16"), "--dtype is f32 or f16, got " + dtype);
        require(device.matches("(?i)cpu|gpu|auto"), "--device is cpu, gpu or auto, got " + device);
        require(batches.length > 0 && Arrays.stream(batches).allMatch(b -> b >= 1), "--batches needs positive sizes");
        require(promptTokens >= 1 && steps >= 2 && rounds >= 1,
                "--prompt-tokens, --steps (>= 2) and --rounds must be positive");
    }

    @Override
    protected void run() {
        new BenchCommand(out).run(this);
    }

    Path model() {
        return model;
    }

    String dtype() {
        return dtype;
    }

    DeviceChoice device() {
        return DeviceChoice.parse(device);
    }

    int[] batches() {
        return batches.clone();
    }

    int promptTokens() {
        return promptTokens;
    }

    int steps() {
        return steps;
    }

    int rounds() {
        return rounds;
    }
}
