package dev.switchboard.tools.lab;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code lab experts-per-token}: top-1, top-2 and top-4 routing at equal steps with the same experts, and top-1 and
 * top-4 again at the top-2 model's active expert compute (expert width scaled by 2/k, so k · width is equal).
 */
@Command(name = "experts-per-token", description = "Top-1 vs top-2 vs top-4 at equal steps (same expert width) and at"
        + " equal active compute (width × 2/k, so every token runs the same expert parameters as top-2). Top-1 is Switch"
        + " routing without a capacity limit (weight p, so the router learns from the loss). Writes experts-per-token.json,"
        + " experts-per-token-loss.png and experts-per-token-final.png.")
final class ExpertsPerTokenCommand extends TrainingExperimentCommand {

    ExpertsPerTokenCommand(PrintStream out) {
        super(out);
    }

    @Override
    String name() {
        return "experts-per-token";
    }

    @Override
    List<Variant> variants(ExperimentTraining training) {
        int width = training.config().intermediateSize();
        int experts = training.config().numLocalExperts();
        float balance = training.options().balanceWeight();
        float z = training.options().zWeight();
        if (width % 2 != 0 || experts < 4) {
            throw new IllegalArgumentException("experts-per-token needs an even --expert-width and at least 4 experts,"
                    + " got width " + width + " and " + experts + " experts");
        }
        // Top-1 with capacity = every token (factor N): Switch's weight p_j without drops. Mixtral's renormalised
        // top-1 weight would be exactly 1, and the router would learn from the balance loss alone.
        return List.of(Variant.switchTop1("top-1, width " + width, experts, width, balance, z),
                Variant.topK("top-2, width " + width, 2, width, balance, z),
                Variant.topK("top-4, width " + width, 4, width, balance, z),
                Variant.switchTop1("top-1, width " + 2 * width + " (equal active)", experts, 2 * width, balance, z),
                Variant.topK("top-4, width " + width / 2 + " (equal active)", 4, width / 2, balance, z));
    }

    @Override
    void charts(TrainingExperiment result, Path out) {
        ChartFile.writePng(Charts.lines("Held-out loss over training by experts per token", "step",
                List.of(TrainingCharts.heldOut(result))), out.resolve("experts-per-token-loss.png"), TrainingCharts.WIDTH,
                TrainingCharts.height(1) + 80);
        ChartFile.writePng(TrainingCharts.finalLoss(result, "Final held-out loss by experts per token"),
                out.resolve("experts-per-token-final.png"), TrainingCharts.WIDTH, TrainingCharts.height(1) + 80);
    }
}
