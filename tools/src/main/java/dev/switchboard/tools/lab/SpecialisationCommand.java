package dev.switchboard.tools.lab;

import dev.switchboard.runtime.DjlOffline;
import dev.switchboard.tools.ToolCommand;
import dev.switchboard.tools.eval.EvalSession;
import dev.switchboard.tools.eval.LayerReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jfree.data.category.DefaultCategoryDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lab specialisation}: {@code eval}'s routing measurements ({@link EvalSession}) of a trained model, per domain
 * and layer, drawn as Mixtral's Fig. 7 (expert shares per domain) and Table 5 (consecutive tokens) are.
 */
@Command(name = "specialisation", description = "Per-domain expert distribution per layer, consecutive-token"
        + " same-expert rates per domain beside the random baseline, and top tokens per expert, on a trained model's"
        + " held-out text (eval's measurements). Writes specialisation.json, specialisation-domains.png and"
        + " specialisation-consecutive.png.")
final class SpecialisationCommand extends ToolCommand {

    static final String DEFAULT_MODEL = "app/src/main/resources/default-model";

    @Mixin
    LabFiles files;

    @Option(names = "--model", paramLabel = "DIR", defaultValue = DEFAULT_MODEL,
            description = "The trained model folder; default ${DEFAULT-VALUE} (the shipped model).")
    Path model;

    @Option(names = "--windows", paramLabel = "N", defaultValue = "16", description = "Held-out windows per domain; default ${DEFAULT-VALUE}.")
    int windows;

    @Option(names = "--top-tokens", paramLabel = "N", defaultValue = "8", description = "Tokens listed per expert; default ${DEFAULT-VALUE}.")
    int topTokens;

    SpecialisationCommand(PrintStream out) {
        super(out);
    }

    @Override
    protected void check() {
        require(files.problem() == null, files.problem());
        require(windows >= 1, "--windows must be positive, got " + windows);
        require(topTokens >= 1, "--top-tokens must be positive, got " + topTokens);
    }

    @Override
    protected void run() {
        DjlOffline.enforce();
        SpecialisationResult result;
        try (EvalSession session = EvalSession.open(model, files.recipe(), windows)) {
            result = SpecialisationResult.of(session.evaluate(topTokens));
        }
        ResultFile.write(files.out().resolve("specialisation.json"), result);
        charts(result, files.out());
        out.print(summary(result));
        out.println("wrote " + files.out().resolve("specialisation.json") + " and its charts");
    }

    static void charts(SpecialisationResult result, Path out) {
        List<Charts.BarPanel> shares = new ArrayList<>();
        for (SpecialisationResult.Layer layer : result.layers()) {
            DefaultCategoryDataset bars = new DefaultCategoryDataset();
            for (SpecialisationResult.DomainRouting domain : layer.domains()) {
                for (int e = 0; e < domain.loadShare().size(); e++) {
                    bars.addValue(domain.loadShare().get(e), domain.domain(), "expert " + e);
                }
            }
            shares.add(new Charts.BarPanel("layer " + layer.layer() + " share", bars,
                    new Charts.Reference(1.0 / result.experts(), "uniform")));
        }
        ChartFile.writePng(Charts.bars("Share of each domain's expert assignments, per layer", "expert", shares),
                out.resolve("specialisation-domains.png"), TrainingCharts.WIDTH, 120 + 200 * shares.size());
        DefaultCategoryDataset same = new DefaultCategoryDataset();
        DefaultCategoryDataset overlap = new DefaultCategoryDataset();
        for (SpecialisationResult.Layer layer : result.layers()) {
            String category = "layer " + layer.layer();
            for (SpecialisationResult.DomainRouting domain : layer.domains()) {
                same.addValue(100 * domain.consecutive().sameFirstRate(), domain.domain(), category);
                overlap.addValue(100 * domain.consecutive().firstOrSecondRate(), domain.domain(), category);
            }
            same.addValue(100 * layer.all().sameFirstRate(), "all", category);
            overlap.addValue(100 * layer.all().firstOrSecondRate(), "all", category);
        }
        List<Charts.BarPanel> panels = new ArrayList<>();
        panels.add(new Charts.BarPanel("same first expert (%)", same,
                new Charts.Reference(100 * result.randomSameFirstRate(), "random routing")));
        if (result.expertsPerToken() >= 2) {
            panels.add(new Charts.BarPanel("first two share one (%)", overlap,
                    new Charts.Reference(100 * result.randomFirstOrSecondRate(), "random routing")));
        }
        ChartFile.writePng(Charts.bars("Consecutive tokens routed alike, per layer and domain", "layer", panels),
                out.resolve("specialisation-consecutive.png"), TrainingCharts.WIDTH, TrainingCharts.height(panels.size()));
    }

    static String summary(SpecialisationResult result) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s: %d experts, top-%d; random baselines: same first %.1f%%, first two %.1f%%%n",
                result.model(), result.experts(), result.expertsPerToken(), 100 * result.randomSameFirstRate(),
                100 * result.randomFirstOrSecondRate()));
        for (SpecialisationResult.Layer layer : result.layers()) {
            out.append(String.format(Locale.ROOT, "layer %d: all same first %.1f%%, first two %.1f%%%n", layer.layer(),
                    100 * layer.all().sameFirstRate(), 100 * layer.all().firstOrSecondRate()));
            for (SpecialisationResult.DomainRouting d : layer.domains()) {
                out.append(String.format(Locale.ROOT, "  %-12s same first %5.1f%%  first two %5.1f%%  distance from all %.3f  shares %s%n",
                        d.domain(), 100 * d.consecutive().sameFirstRate(), 100 * d.consecutive().firstOrSecondRate(),
                        d.distanceFromAll(), d.loadShare().stream().map(s -> String.format(Locale.ROOT, "%.2f", s))
                                .collect(Collectors.joining(" "))));
            }
            for (int e = 0; e < layer.topTokens().size(); e++) {
                out.append(String.format(Locale.ROOT, "  expert %d: %s%n", e, layer.topTokens().get(e).stream()
                        .map(SpecialisationCommand::token).collect(Collectors.joining(", "))));
            }
        }
        return out.toString();
    }

    private static String token(LayerReport.TokenCount count) {
        return count.token().replace("\n", "\\n").replace("\t", "\\t") + " " + count.count();
    }
}
