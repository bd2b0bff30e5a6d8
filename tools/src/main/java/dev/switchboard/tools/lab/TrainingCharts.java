package dev.switchboard.tools.lab;

import dev.switchboard.tools.lab.TrainingExperiment.RoutingPoint;
import dev.switchboard.tools.lab.TrainingExperiment.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;
import org.jfree.data.category.DefaultCategoryDataset;

/** The charts of the training experiments, built from their results: one line (or bar group) per run. */
final class TrainingCharts {

    static final int WIDTH = 900;
    static final int PANEL_HEIGHT = 260;

    private TrainingCharts() {}

    /** A routing gauge over steps, one line per run. */
    static Charts.LinePanel routing(TrainingExperiment result, String yLabel, ToDoubleFunction<RoutingPoint> gauge,
            Charts.Reference reference) {
        List<Charts.Line> lines = new ArrayList<>();
        for (Run run : result.runs()) {
            double[] x = new double[run.routing().size()];
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = run.routing().get(i).step();
                y[i] = gauge.applyAsDouble(run.routing().get(i));
            }
            lines.add(new Charts.Line(run.variant().name(), x, y));
        }
        return new Charts.LinePanel(yLabel, lines, reference);
    }

    /** Held-out loss over steps, one line per run. */
    static Charts.LinePanel heldOut(TrainingExperiment result) {
        List<Charts.Line> lines = new ArrayList<>();
        for (Run run : result.runs()) {
            double[] x = new double[run.heldOut().size()];
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = run.heldOut().get(i).step();
                y[i] = run.heldOut().get(i).loss();
            }
            lines.add(new Charts.Line(run.variant().name(), x, y));
        }
        return new Charts.LinePanel("held-out loss (nats/token)", lines, null);
    }

    /** Final held-out loss per domain (and over all), bars grouped by run. */
    static JFreeChart finalLoss(TrainingExperiment result, String title) {
        DefaultCategoryDataset bars = new DefaultCategoryDataset();
        for (Run run : result.runs()) {
            bars.addValue(run.finalLoss(), "all", run.variant().name());
            run.lossByDomain().forEach((domain, loss) -> bars.addValue(loss, domain, run.variant().name()));
        }
        return Charts.bars(title, "run", List.of(new Charts.BarPanel("held-out loss (nats/token)", bars, null)));
    }

    static int height(int panels) {
        return 120 + panels * PANEL_HEIGHT;
    }
}
