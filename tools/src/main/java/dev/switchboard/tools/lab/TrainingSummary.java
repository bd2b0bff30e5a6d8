package dev.switchboard.tools.lab;

import java.util.List;
import java.util.Locale;

/**
 * A training experiment's numbers as a text table: per run the final held-out loss (overall and per domain) and the
 * routing of the last interval of steps (mean over layers of CV and max/mean, dead experts summed over layers, mean
 * drop rate).
 */
final class TrainingSummary {

    private TrainingSummary() {}

    static String render(TrainingExperiment result) {
        StringBuilder out = new StringBuilder();
        TrainingExperiment.Settings s = result.settings();
        out.append(String.format(Locale.ROOT, "%s: %d runs of %d steps × %d windows × %d tokens; hidden %d, layers %d, experts %d%n",
                result.experiment(), result.runs().size(), s.steps(), s.batch(), s.window(), s.hidden(), s.layers(), s.experts()));
        List<String> domains = List.copyOf(result.runs().get(0).lossByDomain().keySet());
        out.append(String.format(Locale.ROOT, "%-28s %8s", "run", "loss"));
        for (String domain : domains) {
            out.append(String.format(Locale.ROOT, " %10s", domain));
        }
        out.append(String.format(Locale.ROOT, " %7s %8s %5s %6s %10s %6s%n", "CV", "max/mean", "dead", "drop%", "active", "s"));
        for (TrainingExperiment.Run run : result.runs()) {
            out.append(String.format(Locale.ROOT, "%-28s %8.4f", run.variant().name(), run.finalLoss()));
            for (String domain : domains) {
                out.append(String.format(Locale.ROOT, " %10.4f", run.lossByDomain().get(domain)));
            }
            TrainingExperiment.RoutingPoint last = run.routing().get(run.routing().size() - 1);
            out.append(String.format(Locale.ROOT, " %7.3f %8.3f %5d %6.2f %,10d %6.0f%n", LayerMeans.cv(last),
                    LayerMeans.maxMean(last), LayerMeans.dead(last), 100 * LayerMeans.dropRate(last),
                    run.activeExpertParameters(), run.seconds()));
        }
        return out.toString();
    }
}
