package dev.switchboard.app.routingstats;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/stats/live}: Server-Sent Events with the open window's running totals, one frame per
 * flush interval. Frames are written by hand as {@code data: <json>\n\n} (with the space; Spring's SSE
 * writer omits it, CONTRIBUTING.md#trap-sse-space).
 *
 * <p>The stream never ends by itself, so at shutdown every open one is ended first: otherwise the web server's
 * graceful shutdown waits its whole phase timeout (30 s) for a connected dashboard.
 */
@RestController
class LiveStatsController implements SmartLifecycle {

    /** Above the web server's graceful-shutdown phase (DEFAULT_PHASE - 1024), so open streams end before it waits. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    /** One layer of the open window so far. */
    record LiveLayer(String model, String domain, int layer, long tokens, long dropped, long[] firstChoice, long[] anyChoice) {}

    /** The open window so far. */
    record LiveWindow(Instant windowStart, List<LiveLayer> layers) {}

    private final RoutingStatsRecorder recorder;
    private final JsonMapper json;
    private final Duration interval;
    private volatile Sinks.One<Boolean> stopping = Sinks.one();
    private volatile boolean running;

    LiveStatsController(RoutingStatsRecorder recorder, JsonMapper json, RoutingStatsProperties properties) {
        this.recorder = recorder;
        this.json = json;
        this.interval = properties.flushInterval();
    }

    // The frames are written by hand, so the OpenAPI document learns their shape from here.
    @ApiResponse(responseCode = "200", description = "One LiveWindow per flush interval as an SSE data frame",
            content = @Content(mediaType = "text/event-stream", schema = @Schema(implementation = LiveWindow.class)))
    @GetMapping("/api/stats/live")
    Mono<Void> live(@RequestParam(required = false) @Nullable String model, ServerHttpResponse response) {
        response.getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
        response.getHeaders().setCacheControl("no-cache");
        // A slow reader skips ticks instead of failing the stream: interval cannot wait, and every frame carries
        // the whole open window, so the next one says everything a dropped one would have.
        Flux<Mono<org.springframework.core.io.buffer.DataBuffer>> frames = Flux.interval(Duration.ZERO, interval)
                .onBackpressureDrop()
                .takeUntilOther(stopping.asMono())
                .map(tick -> "data: " + json.writeValueAsString(snapshot(model)) + "\n\n")
                .map(frame -> Mono.just(response.bufferFactory().wrap(frame.getBytes(StandardCharsets.UTF_8))));
        return response.writeAndFlushWith(frames);
    }

    @Override
    public void start() {
        stopping = Sinks.one(); // a context paused and started again (tests) streams again
        running = true;
    }

    /** Ends every open stream (and any opened from now on) normally. */
    @Override
    public void stop() {
        running = false;
        stopping.tryEmitValue(true);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    LiveWindow snapshot(@Nullable String model) {
        Instant start = recorder.openWindowStart();
        List<LiveLayer> layers = recorder.peekOpenWindow().entrySet().stream()
                .filter(e -> model == null || e.getKey().modelId().equals(model))
                .map(e -> new LiveLayer(e.getKey().modelId(), e.getKey().domain(), e.getKey().layer(), e.getValue().tokens(),
                        e.getValue().dropped(), e.getValue().firstChoice(), e.getValue().anyChoice()))
                .sorted(Comparator.comparing(LiveLayer::model).thenComparing(LiveLayer::domain).thenComparingInt(LiveLayer::layer))
                .toList();
        return new LiveWindow(start, layers);
    }
}
