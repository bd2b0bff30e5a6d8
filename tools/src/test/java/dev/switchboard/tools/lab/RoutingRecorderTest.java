package dev.switchboard.tools.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.runtime.training.RoutingLoad;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-interval balance gauges of training experiments, on counts worked out by hand. */
class RoutingRecorderTest {

    @Test
    void sumsEachIntervalThenMeasuresItsBalanceDeadExpertsAndDrops() {
        RoutingRecorder recorder = new RoutingRecorder(2, 3);
        // Layer 0, top-1 with capacity over 4 experts. Step 1: 10 tokens, loads 4 4 0 0, 2 dropped.
        // Step 2: 10 tokens, loads 2 2 0 4, 2 dropped. Interval sum: 20 tokens, loads 6 6 0 4, 4 dropped.
        recorder.add(1, List.of(new RoutingLoad(0, 10, new long[] {4, 4, 0, 0}, 2)));
        recorder.add(2, List.of(new RoutingLoad(0, 10, new long[] {2, 2, 0, 4}, 2)));
        // Step 3 is the last, so it closes a short interval of its own: loads 5 5 0 0, nothing dropped.
        recorder.add(3, List.of(new RoutingLoad(0, 10, new long[] {5, 5, 0, 0}, 0)));

        List<TrainingExperiment.RoutingPoint> points = recorder.points();
        assertThat(points).extracting(TrainingExperiment.RoutingPoint::step).containsExactly(2, 3);
        TrainingExperiment.LayerPoint first = points.get(0).layers().get(0);
        assertThat(first.tokens()).isEqualTo(20);
        // mean 4, deviations 2 2 −4 0: population variance (4 + 4 + 16 + 0) / 4 = 6, CV = √6 / 4
        assertThat(first.cvLoad()).isCloseTo(Math.sqrt(6) / 4, within(1e-12));
        assertThat(first.maxMeanLoad()).isCloseTo(6.0 / 4, within(1e-12));
        assertThat(first.deadExperts()).isEqualTo(1); // expert 2 took nothing in either step
        assertThat(first.dropRate()).isCloseTo(4.0 / 20, within(1e-12));
        TrainingExperiment.LayerPoint last = points.get(1).layers().get(0);
        // mean 2.5, deviations 2.5 2.5 −2.5 −2.5: CV = 2.5 / 2.5 = 1; max/mean = 5 / 2.5 = 2; two dead, no drops
        assertThat(last.cvLoad()).isCloseTo(1.0, within(1e-12));
        assertThat(last.maxMeanLoad()).isCloseTo(2.0, within(1e-12));
        assertThat(last.deadExperts()).isEqualTo(2);
        assertThat(last.dropRate()).isZero();
    }

    @Test
    void layersAreMeasuredApartAndAveragedForTheCharts() {
        RoutingRecorder recorder = new RoutingRecorder(1, 1);
        recorder.add(1, List.of(new RoutingLoad(0, 4, new long[] {2, 2}, 0), new RoutingLoad(1, 4, new long[] {4, 0}, 0)));

        TrainingExperiment.RoutingPoint point = recorder.points().get(0);
        assertThat(point.layers()).extracting(TrainingExperiment.LayerPoint::cvLoad).containsExactly(0.0, 1.0);
        assertThat(LayerMeans.cv(point)).isCloseTo(0.5, within(1e-12));
        assertThat(LayerMeans.maxMean(point)).isCloseTo(1.5, within(1e-12)); // (1 + 2) / 2
        assertThat(LayerMeans.dead(point)).isEqualTo(1);
    }
}
