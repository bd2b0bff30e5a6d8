package dev.switchboard.tools.lab;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code lab collapse}: the same top-k model trained with and without the load-balancing loss, and with and without
 * the router z-loss; how balanced the routing stays over training and what it costs in held-out loss (Shazeer et al.
 * 2017, Table 6).
 */
@Command(name = "collapse", description = "Balance-loss weight 0 vs 1e-2, router z-loss 0 vs 1e-3: CV of expert load,"
        + " max/mean, dead experts over training and the final held-out loss. Writes collapse.json,"
        + " collapse-balance.png and collapse-loss.png.")
final class CollapseCommand extends TrainingExperimentCommand {

    static final float BALANCE = 1e-2f;
    static final float Z = 1e-3f;

    CollapseCommand(PrintStream out) {
        super(out);
    }

    @Override
    String name() {
        return "collapse";
    }

    @Override
    List<Variant> variants(ExperimentTraining training) {
        int k = training.config().numExpertsPerTok();
        int width = training.config().intermediateSize();
        return List.of(Variant.topK("no balance loss, no z-loss", k, width, 0f, 0f),
                Variant.topK("no balance loss, z-loss 1e-3", k, width, 0f, Z),
                Variant.topK("balance 1e-2, no z-loss", k, width, BALANCE, 0f),
                Variant.topK("balance 1e-2, z-loss 1e-3", k, width, BALANCE, Z));
    }

    @Override
    void charts(TrainingExperiment result, Path out) {
        List<Charts.LinePanel> panels = List.of(
                TrainingCharts.routing(result, "CV of expert load (0 = balanced)", LayerMeans::cv, null),
                TrainingCharts.routing(result, "max / mean load (1 = balanced)", LayerMeans::maxMean, null),
                TrainingCharts.routing(result, "dead experts (all layers)", LayerMeans::dead, null));
        ChartFile.writePng(Charts.lines("Routing balance over training (mean over layers, per " + stepsPerPoint(result)
                + " steps)", "step", panels), out.resolve("collapse-balance.png"), TrainingCharts.WIDTH, TrainingCharts.height(3));
        ChartFile.writePng(Charts.lines("Held-out loss over training", "step", List.of(TrainingCharts.heldOut(result))),
                out.resolve("collapse-loss.png"), TrainingCharts.WIDTH, TrainingCharts.height(1));
    }

    static int stepsPerPoint(TrainingExperiment result) {
        return result.runs().get(0).routing().get(0).step();
    }
}
