package dev.switchboard.tools.lab;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code lab capacity}: Switch top-1 with capacity factors 1.0, 1.25 and 2.0, and without a limit: how many tokens
 * capacity drops during training and what it costs in held-out loss (Fedus et al. 2021, Table 1).
 */
@Command(name = "capacity", description = "Switch top-1 at capacity factor 1.0, 1.25, 2.0 and without a limit: drop"
        + " rate over training and final held-out loss (evaluation routes with the same capacity). Writes capacity.json"
        + " and capacity.png.")
final class CapacityCommand extends TrainingExperimentCommand {

    static final double[] FACTORS = {1.0, 1.25, 2.0};

    CapacityCommand(PrintStream out) {
        super(out);
    }

    @Override
    String name() {
        return "capacity";
    }

    @Override
    List<Variant> variants(ExperimentTraining training) {
        int width = training.config().intermediateSize();
        int experts = training.config().numLocalExperts();
        float balance = training.options().balanceWeight();
        float z = training.options().zWeight();
        List<Variant> variants = new ArrayList<>();
        for (double factor : FACTORS) {
            variants.add(Variant.switchTop1("capacity factor " + factor, factor, width, balance, z));
        }
        variants.add(Variant.switchTop1("no capacity limit", experts, width, balance, z)); // capacity = every token
        return List.copyOf(variants);
    }

    @Override
    void charts(TrainingExperiment result, Path out) {
        List<Charts.LinePanel> panels = List.of(
                TrainingCharts.routing(result, "tokens dropped (%, mean over layers)", p -> 100 * LayerMeans.dropRate(p), null),
                TrainingCharts.heldOut(result));
        ChartFile.writePng(Charts.lines("Switch top-1: dropped tokens and held-out loss by capacity factor", "step", panels),
                out.resolve("capacity.png"), TrainingCharts.WIDTH, TrainingCharts.height(2));
    }
}
