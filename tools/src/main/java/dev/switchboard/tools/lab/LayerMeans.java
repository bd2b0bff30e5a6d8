package dev.switchboard.tools.lab;

import dev.switchboard.tools.lab.TrainingExperiment.LayerPoint;
import dev.switchboard.tools.lab.TrainingExperiment.RoutingPoint;
import java.util.function.ToDoubleFunction;

/** One routing point's gauges over all layers: what the charts and summaries plot for a whole model. */
final class LayerMeans {

    private LayerMeans() {}

    /** Mean over layers of the coefficient of variation of load. */
    static double cv(RoutingPoint point) {
        return mean(point, LayerPoint::cvLoad);
    }

    /** Mean over layers of max/mean load. */
    static double maxMean(RoutingPoint point) {
        return mean(point, LayerPoint::maxMeanLoad);
    }

    /** Dead experts summed over layers. */
    static int dead(RoutingPoint point) {
        return point.layers().stream().mapToInt(LayerPoint::deadExperts).sum();
    }

    /** Mean over layers of the drop rate. */
    static double dropRate(RoutingPoint point) {
        return mean(point, LayerPoint::dropRate);
    }

    private static double mean(RoutingPoint point, ToDoubleFunction<LayerPoint> gauge) {
        return point.layers().stream().mapToDouble(gauge).average().orElse(0);
    }
}
