package dev.switchboard.tools.eval;

import java.util.Locale;
import java.util.stream.Collectors;

/** The human-readable report: held-out loss per domain, then per layer balance, consecutive rates and experts. */
final class EvalText {

    private EvalText() {}

    static String render(EvalReport report) {
        StringBuilder out = new StringBuilder();
        line(out, "model %s, held-out split of %s: %d windows of %d tokens per domain", report.model(), report.recipe(),
                report.windowsPerDomain(), report.window());
        line(out, "");
        line(out, "held-out loss      nats/token  bits/byte  tokens");
        for (EvalReport.DomainResult result : report.domains()) {
            DomainLoss loss = result.loss();
            line(out, "  %-16s %10.4f %10.4f %7d", loss.domain(), loss.natsPerToken(), loss.bitsPerByte(), loss.positions());
        }
        line(out, "  %-16s %10.4f", "all", report.natsPerToken());
        line(out, "  (a model that knows nothing: %.4f nats/token)", report.uniformLoss());
        for (LayerReport layer : report.layers()) {
            LayerReport.Balance b = layer.balance();
            LayerReport.Consecutive c = layer.consecutive();
            line(out, "");
            line(out, "layer %d: %d tokens, top-%d of %d experts", layer.layer(), layer.tokens(), layer.topK(), layer.numExperts());
            line(out, "  balance: CV(load) %.3f  CV(importance) %.3f  max/mean %.3f  MaxVio %.3f  Jain %.3f  dead %.1f%%",
                    b.cvLoad(), b.cvImportance(), b.maxMeanLoad(), b.maxVio(), b.jainIndex(), 100 * b.deadExpertFraction());
            line(out, "           load diversity %.3f  router perplexity ratio %.3f  drop rate %.1f%%  aux loss %.3f  z-loss %.3f",
                    b.loadDiversity(), b.routerPerplexityRatio(), 100 * b.dropRate(), b.auxLoss(), b.zLoss());
            line(out, "  consecutive tokens (%d pairs): same first choice %.1f%% (random %.1f%%), first-two overlap %.1f%% (random %.1f%%)",
                    c.pairs(), 100 * c.sameFirstRate(), 100 * c.randomSameFirstRate(), 100 * c.firstOrSecondRate(),
                    100 * c.randomFirstOrSecondRate());
            for (EvalReport.DomainResult result : report.domains()) {
                LayerReport.Consecutive d = result.layers().get(layer.layer()).consecutive();
                line(out, "    %-16s same first %.1f%%, overlap %.1f%%", result.loss().domain(), 100 * d.sameFirstRate(),
                        100 * d.firstOrSecondRate());
            }
            long assignments = 0;
            for (long load : layer.load()) assignments += load;
            line(out, "  expert  load   first  top tokens");
            for (int e = 0; e < layer.numExperts(); e++) {
                String tokens = layer.topTokens().isEmpty() ? "" : layer.topTokens().get(e).stream()
                        .map(t -> printable(t.token()) + " " + t.count()).collect(Collectors.joining(", "));
                line(out, "  %6d %5.1f%% %6d  %s", e, assignments == 0 ? 0 : 100.0 * layer.load()[e] / assignments,
                        layer.firstChoice()[e], tokens);
            }
        }
        return out.toString().stripTrailing();
    }

    /** A piece as one visible word: a newline or tab piece would otherwise break the table. */
    private static String printable(String piece) {
        return piece.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
