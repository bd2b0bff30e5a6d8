package dev.switchboard.app.generation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/stats/serving} (admin): the serving figures the dashboard's overview shows, read from the
 * same Micrometer meters that Prometheus scrapes ({@link GenerationMetrics}), so the two never disagree.
 * Counters are totals since start; a client derives rates (tokens/s) from two readings, as Prometheus'
 * {@code rate()} does. Latency percentiles are Micrometer's, over its recent decaying window.
 */
@RestController
class ServingFiguresController {

    /**
     * One reading of the serving meters.
     *
     * @param at when it was read
     * @param requestsFinished requests that ended (any finish reason) since start
     * @param requestsRejected requests refused by admission (429, 503) since start
     * @param generatedTokens completion tokens since start
     * @param promptTokens prompt tokens prefilled since start
     * @param queued requests waiting for a place in the batch now
     * @param running sequences decoding now
     * @param timeToFirstTokenP50Seconds median time to first token, recent window; 0 before any request
     * @param timeToFirstTokenP90Seconds 90th percentile time to first token, recent window
     * @param interTokenLatencyP50Seconds median time between two tokens of one sequence, recent window
     * @param interTokenLatencyP90Seconds 90th percentile inter-token latency, recent window
     */
    record ServingFigures(Instant at, long requestsFinished, long requestsRejected, long generatedTokens, long promptTokens,
            long queued, long running, double timeToFirstTokenP50Seconds, double timeToFirstTokenP90Seconds,
            double interTokenLatencyP50Seconds, double interTokenLatencyP90Seconds) {}

    private final MeterRegistry registry;
    private final Clock clock;

    ServingFiguresController(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    @GetMapping("/api/stats/serving")
    ServingFigures serving() {
        Timer firstToken = registry.find("switchboard.time.to.first.token").timer();
        Timer interToken = registry.find("switchboard.inter.token.latency").timer();
        return new ServingFigures(clock.instant(),
                counterTotal("switchboard.requests.finished"), counterTotal("switchboard.requests.rejected"),
                counterTotal("switchboard.tokens.generated"), counterTotal("switchboard.tokens.prompt"),
                gaugeValue("switchboard.queue.size"), gaugeValue("switchboard.sequences.running"),
                percentileSeconds(firstToken, 0.5), percentileSeconds(firstToken, 0.9),
                percentileSeconds(interToken, 0.5), percentileSeconds(interToken, 0.9));
    }

    private long counterTotal(String name) {
        return Math.round(registry.find(name).counters().stream().mapToDouble(Counter::count).sum());
    }

    private long gaugeValue(String name) {
        Gauge gauge = registry.find(name).gauge();
        double value = gauge == null ? 0 : gauge.value();
        return Double.isFinite(value) ? Math.round(value) : 0;
    }

    private static double percentileSeconds(@Nullable Timer timer, double percentile) {
        if (timer == null) {
            return 0;
        }
        for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
            if (value.percentile() == percentile) {
                return value.value(TimeUnit.SECONDS);
            }
        }
        return 0;
    }
}
