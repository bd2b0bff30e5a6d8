package dev.switchboard.app.generation;

import dev.switchboard.runtime.routing.RoutingPhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The serving metrics, in base units with bounded tags (endpoint, finish_reason, reason). Prometheus names:
 * {@code switchboard_requests_finished_total}, {@code switchboard_requests_rejected_total},
 * {@code switchboard_queue_size}, {@code switchboard_sequences_running},
 * {@code switchboard_time_to_first_token_seconds}, {@code switchboard_inter_token_latency_seconds},
 * {@code switchboard_tokens_generated_tokens_total} (its rate is tokens/s; the unit "tokens" is part of the name),
 * {@code switchboard_tokens_prompt_tokens_total},
 * {@code switchboard_batch_sequences}, {@code switchboard_step_duration_seconds{phase=prefill|decode}} (one
 * model forward, the step's share of the inference thread's time; what the serving benchmark profiles).
 */
@Component
class GenerationMetrics {

    private final MeterRegistry registry;
    private final Timer timeToFirstToken;
    private final Timer interTokenLatency;
    private final Counter generatedTokens;
    private final Counter promptTokens;
    private final DistributionSummary batchSequences;
    private final Timer prefillSteps;
    private final Timer decodeSteps;

    GenerationMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.timeToFirstToken = Timer.builder("switchboard.time.to.first.token")
                .description("From request arrival to its first generated token")
                .publishPercentiles(0.5, 0.9, 0.99).publishPercentileHistogram().register(registry);
        this.interTokenLatency = Timer.builder("switchboard.inter.token.latency")
                .description("Between two generated tokens of one sequence")
                .publishPercentiles(0.5, 0.9, 0.99).publishPercentileHistogram().register(registry);
        this.generatedTokens = Counter.builder("switchboard.tokens.generated").baseUnit("tokens").register(registry);
        this.promptTokens = Counter.builder("switchboard.tokens.prompt").baseUnit("tokens").register(registry);
        this.batchSequences = DistributionSummary.builder("switchboard.batch.sequences")
                .description("Sequences in one decode step").register(registry);
        this.prefillSteps = stepTimer(registry, "prefill");
        this.decodeSteps = stepTimer(registry, "decode");
    }

    private static Timer stepTimer(MeterRegistry registry, String phase) {
        return Timer.builder("switchboard.step.duration").description("One model forward of the scheduler, by phase")
                .tag("phase", phase).register(registry);
    }

    /**
     * Registers the two scheduler gauges. Micrometer holds a gauge's state object weakly; the suppliers are
     * fresh lambdas nobody else references, so without {@code strongReference} the first GC turns both into NaN.
     */
    void gauges(Supplier<Number> queued, Supplier<Number> running) {
        Gauge.builder("switchboard.queue.size", queued, s -> s.get().doubleValue())
                .description("Requests waiting for a place in the batch").strongReference(true).register(registry);
        Gauge.builder("switchboard.sequences.running", running, s -> s.get().doubleValue())
                .description("Sequences in the running batch").strongReference(true).register(registry);
    }

    void firstToken(Duration sinceArrival) {
        timeToFirstToken.record(sinceArrival);
    }

    void nextToken(Duration sincePrevious) {
        interTokenLatency.record(sincePrevious);
    }

    void generated(int tokens) {
        generatedTokens.increment(tokens);
    }

    void prefilled(int tokens) {
        promptTokens.increment(tokens);
    }

    void decodeStep(int sequences) {
        batchSequences.record(sequences);
    }

    /** One model forward of {@code phase} took {@code nanos}. */
    void stepTook(RoutingPhase phase, long nanos) {
        (phase == RoutingPhase.PREFILL ? prefillSteps : decodeSteps).record(nanos, TimeUnit.NANOSECONDS);
    }

    void finished(String endpoint, String finishReason) {
        registry.counter("switchboard.requests.finished", "endpoint", endpoint, "finish_reason", finishReason).increment();
    }

    void rejected(String endpoint, String reason) {
        registry.counter("switchboard.requests.rejected", "endpoint", endpoint, "reason", reason).increment();
    }
}
