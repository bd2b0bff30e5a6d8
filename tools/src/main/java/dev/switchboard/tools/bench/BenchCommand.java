package dev.switchboard.tools.bench;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.switchboard.kernels.VectorKernels;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.model.ModelOptions;
import dev.switchboard.runtime.model.MoeModel;
import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code switchboard.jar bench}: the runtime's speed on one checkpoint, measured in one run so the
 * numbers compare as ratios (docs/PERFORMANCE.md): read bandwidth by every method available ({@link FairBandwidth})
 * and the decode bound the fastest implies,
 * prefill and decode tokens/s per batch size, the MoE layer sparse vs dense, and the cost of the
 * per-step routing statistics. Prints Markdown.
 */
public final class BenchCommand {

    private final PrintStream out;

    public BenchCommand(PrintStream out) {
        this.out = out;
    }

    public void run(BenchArguments args) {
        DataType type = args.dtype().equals("f16") ? DataType.FLOAT16 : DataType.FLOAT32;
        Device device = args.device().resolve();
        FairBandwidth.Result read = FairBandwidth.measure(device);
        double bandwidth = read.best();
        try (Checkpoint checkpoint = Checkpoint.open(args.model());
                MoeModel model = MoeModel.load(checkpoint,
                        ModelOptions.defaults().withDevice(device).withWorkingType(type))) {
            MixtralConfig config = model.config();
            ActiveWeights active = ActiveWeights.of(config, args.dtype().equals("f16") ? 2 : 4);
            double boundTokensPerSecond = bandwidth / active.bytes();
            line("## %s, working type %s, device %s, %d cores, Java %s", args.model().getFileName(), args.dtype(), device,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            line("");
            read.byMethod().forEach((method, bytesPerSecond) ->
                    line("- read bandwidth, %s over 512 MiB f32: %.1f GB/s", method, bytesPerSecond / 1e9));
            line("- expert kernels: %s", !device.equals(Device.cpu()) ? "PyTorch on " + device
                    : VectorKernels.available() ? "Java Vector API (decode) and PyTorch (prefill)"
                    : "PyTorch only (start java with --add-modules jdk.incubator.vector for the Java kernels)");
            line("- batch-1 decode layers: %s", model.decodesOnHost()
                    ? "in Java over the model's memory (host decode; -Dswitchboard.host-decode=false for PyTorch ops)"
                    : "PyTorch ops");
            line("- active weights per token: %.1f M parameters, %.0f MB -> batch-1 decode bound %.1f tokens/s (fastest read above)",
                    active.parameters() / 1e6, active.bytes() / 1e6, boundTokensPerSecond);
            line("");
            line("| batch | prefill tokens/s (%d-token prompts) | decode tokens/s | decode step (ms, median) | %% of bound (batch 1) |", args.promptTokens());
            line("|---|---|---|---|---|");
            SplittableRandom random = new SplittableRandom(11);
            DecodeBench.Result batchOne = null;
            for (int batch : args.batches()) {
                DecodeBench.Result best = null;
                for (int round = 0; round < args.rounds(); round++) {
                    DecodeBench.Result result = DecodeBench.run(model, batch, args.promptTokens(), args.steps(), random);
                    best = best == null || result.medianStepNanos() < best.medianStepNanos() ? result : best;
                }
                if (batch == 1) batchOne = best;
                String ofBound = batch == 1 ? String.format(Locale.ROOT, "%.0f%%", 100 * best.decodeTokensPerSecond() / boundTokensPerSecond) : "";
                line("| %d | %.1f | %.1f | %.2f | %s |", batch, best.prefillTokensPerSecond(), best.decodeTokensPerSecond(),
                        best.medianStepNanos() / 1e6, ofBound);
            }
            line("");
            MoeLayerBench.Result moe = MoeLayerBench.run(model.experts().layer(0), config.numExpertsPerTok(), 1, 50 * args.rounds());
            line("- MoE layer 0, one decode token: top-%d of %d %.3f ms, all %d experts %.3f ms, ratio %.2f (ideal %.2f)",
                    config.numExpertsPerTok(), config.numLocalExperts(), moe.sparseNanos() / 1e6, config.numLocalExperts(),
                    moe.denseNanos() / 1e6, moe.ratio(), (double) config.numExpertsPerTok() / config.numLocalExperts());
            double statsNanos = StatsOverhead.nanosPerStep(config.numHiddenLayers(), config.numLocalExperts(), config.numExpertsPerTok(), 1);
            if (batchOne != null) {
                line("- routing statistics per batch-1 decode step (%d layers): %.2f us = %.3f%% of the step",
                        config.numHiddenLayers(), statsNanos / 1e3, 100 * statsNanos / batchOne.medianStepNanos());
            }
        }
    }

    private void line(String format, Object... values) {
        out.println(String.format(Locale.ROOT, format, values));
    }
}
