package dev.switchboard.app.routingstats;

import dev.switchboard.app.generation.StepObserver;
import dev.switchboard.app.model.ModelHolder;
import dev.switchboard.app.model.ServedModel;
import dev.switchboard.runtime.routing.LayerChoice;
import dev.switchboard.runtime.routing.TokenTrace;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Feeds the scheduler's steps into the statistics: per sequence its layers' routing statistics under
 * its request's domain, its tokens' expert choices (consecutive-token pairs), sampled token traces,
 * and one row per finished request. Runs on the inference thread, so it only adds to in-memory
 * accumulators ({@link RoutingStatsRecorder} never touches the database on the caller's thread).
 */
@Component
class RoutingStatsObserver implements StepObserver {

    private final RoutingStatsRecorder recorder;
    private final ModelHolder models;
    private final Clock clock;
    private final boolean enabled;
    /** Per running request: its consecutive-token tracker and next position. */
    private final Map<String, SequenceProgress> sequences = new ConcurrentHashMap<>();

    RoutingStatsObserver(RoutingStatsRecorder recorder, ModelHolder models, Clock clock, RoutingStatsProperties properties) {
        this.recorder = recorder;
        this.models = models;
        this.clock = clock;
        this.enabled = properties.enabled();
    }

    @Override
    public boolean wantsTokenRouting() {
        return enabled; // consecutive-token pairs and traces need every token's experts
    }

    @Override
    public void afterStep(StepReport report) {
        if (!enabled) return;
        for (SequenceStep sequence : report.sequences()) {
            recorder.recordStep(report.modelId(), sequence.domain(), sequence.layerStats());
            SequenceProgress progress = sequences.computeIfAbsent(sequence.requestId(),
                    id -> new SequenceProgress(recorder.openSequence(report.modelId(), sequence.domain())));
            if (sequence.routing() != null) {
                recordTokens(report.modelId(), sequence, progress);
            }
            progress.position += sequence.tokens().length;
        }
    }

    private void recordTokens(String modelId, SequenceStep sequence, SequenceProgress progress) {
        boolean traced = recorder.shouldTrace(sequence.requestId());
        Instant now = traced ? clock.instant() : null;
        for (int t = 0; t < sequence.routing().size(); t++) {
            TokenTrace routing = sequence.routing().get(t);
            String text = traced ? tokenText(sequence.tokens()[t]) : null;
            for (LayerChoice choice : routing.layers()) {
                recorder.recordTokenRoutes(progress.routes, choice.layer(), choice.experts());
                if (traced) {
                    recorder.recordTrace(new SampledRoute(sequence.requestId(), now, modelId, sequence.domain(),
                            progress.position + t, text, choice.layer(), choice.experts(), choice.weights()));
                }
            }
        }
    }

    @Override
    public void afterRequest(RequestReport report) {
        sequences.remove(report.requestId());
        if (!enabled) return;
        Duration latency = Duration.ofMillis(report.durationMillis());
        recorder.recordRequest(new CompletedRequest(report.requestId(), clock.instant().minus(latency), report.modelId(),
                report.promptTokens(), report.completionTokens(), latency, report.finishReason(), report.domain()));
    }

    private String tokenText(int tokenId) {
        return models.current().map(ServedModel::tokenizer).map(t -> t.tokenText(tokenId)).orElse("#" + tokenId);
    }

    private static final class SequenceProgress {
        final SequenceRoutes routes;
        int position;

        SequenceProgress(SequenceRoutes routes) {
            this.routes = routes;
        }
    }
}
