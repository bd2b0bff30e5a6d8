package dev.switchboard.tools.lab;

import dev.switchboard.runtime.DjlOffline;
import dev.switchboard.runtime.model.ExpertTable;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.tools.ToolCommand;
import dev.switchboard.tools.eval.EvalReport;
import dev.switchboard.tools.eval.EvalSession;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lab ablation}: each expert of a trained model masked out of routing in turn, the held-out loss per domain
 * measured each time. The mask is the expert lifecycle's: the admin API's "disable expert" edits the live expert
 * table with {@code TableEdit.setDisabled}, which is {@link ExpertTable#withDisabled}; the router then gives the
 * expert probability 0 and its tokens go to their next choices (docs/MOE.md#router-softmax).
 */
@Command(name = "ablation", description = "Disables each expert in turn (the lifecycle API's masking) and measures the"
        + " held-out loss change per domain: which experts matter for which domain. Writes ablation.json and"
        + " ablation.png.")
final class AblationCommand extends ToolCommand {

    @Mixin
    LabFiles files;

    @Option(names = "--model", paramLabel = "DIR", defaultValue = SpecialisationCommand.DEFAULT_MODEL,
            description = "The trained model folder; default ${DEFAULT-VALUE} (the shipped model).")
    Path model;

    @Option(names = "--windows", paramLabel = "N", defaultValue = "16", description = "Held-out windows per domain; default ${DEFAULT-VALUE}.")
    int windows;

    AblationCommand(PrintStream out) {
        super(out);
    }

    @Override
    protected void check() {
        require(files.problem() == null, files.problem());
        require(windows >= 1, "--windows must be positive, got " + windows);
    }

    @Override
    protected void run() {
        DjlOffline.enforce();
        AblationResult result;
        try (EvalSession session = EvalSession.open(model, files.recipe(), windows)) {
            result = ablate(session, model.toString(), files.recipe().toString());
        }
        ResultFile.write(files.out().resolve("ablation.json"), result);
        chart(result, files.out());
        out.print(summary(result));
        out.println("wrote " + files.out().resolve("ablation.json") + " and ablation.png");
    }

    static AblationResult ablate(EvalSession session, String modelName, String recipeName) {
        MoeModel served = session.model();
        ExpertTable intact = served.experts();
        EvalReport baseline = session.evaluate(0);
        Map<String, Double> baselineLoss = losses(baseline);
        List<AblationResult.Ablated> ablated = new ArrayList<>();
        try {
            for (int l = 0; l < intact.layers().size(); l++) {
                for (int e = 0; e < intact.layer(l).size(); e++) {
                    served.swapExperts(intact.withDisabled(l, e, true));
                    Map<String, Double> loss = losses(session.evaluate(0));
                    Map<String, Double> change = new LinkedHashMap<>();
                    Map<String, Double> share = new LinkedHashMap<>();
                    for (EvalReport.DomainResult domain : baseline.domains()) {
                        String name = domain.loss().domain();
                        change.put(name, loss.get(name) - baselineLoss.get(name));
                        long[] load = domain.layers().get(l).load();
                        long total = 0;
                        for (long v : load) total += v;
                        share.put(name, total == 0 ? 0 : (double) load[e] / total);
                    }
                    ablated.add(new AblationResult.Ablated(l, e, loss, change, share));
                }
            }
        } finally {
            served.swapExperts(intact);
        }
        return new AblationResult(modelName, recipeName, baseline.window(), baseline.windowsPerDomain(),
                List.copyOf(baselineLoss.keySet()), baselineLoss, List.copyOf(ablated));
    }

    private static Map<String, Double> losses(EvalReport report) {
        Map<String, Double> losses = new LinkedHashMap<>();
        report.domains().forEach(d -> losses.put(d.loss().domain(), d.loss().natsPerToken()));
        return losses;
    }

    static void chart(AblationResult result, Path out) {
        List<String> rows = new ArrayList<>();
        double[][] values = new double[result.ablated().size()][result.domains().size()];
        for (int r = 0; r < result.ablated().size(); r++) {
            AblationResult.Ablated a = result.ablated().get(r);
            rows.add("layer " + a.layer() + " expert " + a.expert());
            for (int c = 0; c < result.domains().size(); c++) {
                values[r][c] = a.change().get(result.domains().get(c));
            }
        }
        ChartFile.writePng(Charts.heatmap("Held-out loss change with one expert disabled", "domain", result.domains(),
                "disabled expert", rows, values, "Δ loss (nats/token)"), out.resolve("ablation.png"), 700,
                160 + 22 * rows.size());
    }

    static String summary(AblationResult result) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s: baseline %s%n", result.model(), result.baseline()));
        out.append(String.format(Locale.ROOT, "%-16s", "disabled"));
        result.domains().forEach(d -> out.append(String.format(Locale.ROOT, " %16s", "Δ" + d + " (share)")));
        out.append('\n');
        for (AblationResult.Ablated a : result.ablated()) {
            out.append(String.format(Locale.ROOT, "layer %d expert %d ", a.layer(), a.expert()));
            for (String d : result.domains()) {
                out.append(String.format(Locale.ROOT, " %+9.4f (%4.1f%%)", a.change().get(d), 100 * a.loadShare().get(d)));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
