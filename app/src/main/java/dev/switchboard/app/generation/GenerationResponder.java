package dev.switchboard.app.generation;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.errors.OpenAiErrorBody;
import dev.switchboard.app.generation.openai.GenerationParameters;
import dev.switchboard.app.generation.openai.RoutedExperts;
import dev.switchboard.runtime.routing.TokenTrace;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a job's events as the HTTP response: one JSON body, or an SSE stream. A stream's headers are
 * sent only once the job has left the queue, so queue errors (429/503) still get their HTTP status;
 * after that, errors travel in-band as {@code data: {"error":…}} followed by {@code data: [DONE]}.
 */
@Component
class GenerationResponder {

    private final JsonMapper json;
    private final Duration keepAlive;
    GenerationResponder(JsonMapper json, ServingProperties limits) {
        this.json = json;
        this.keepAlive = limits.keepAlive();
    }

    Mono<Void> respond(ServerHttpResponse response, GenerationJob job, ResponseShape shape, GenerationParameters request) {
        return request.stream() ? stream(response, job, shape, request) : whole(response, job, shape, request);
    }

    private Mono<Void> whole(ServerHttpResponse response, GenerationJob job, ResponseShape shape, GenerationParameters request) {
        return job.events().collectList().flatMap(events -> {
            StringBuilder text = new StringBuilder();
            List<TokenTrace> routing = new ArrayList<>();
            for (GenerationEvent event : events) {
                if (event instanceof GenerationEvent.Delta delta) {
                    text.append(delta.text());
                    routing.addAll(delta.routing());
                } else if (event instanceof GenerationEvent.Failed failed) {
                    return OpenAiErrorBody.write(response, failed.error());
                } else if (event instanceof GenerationEvent.Finished end) {
                    routing.addAll(end.routing());
                    Object body = shape.completion(text.toString(), end.finishReason(), end.promptTokens(),
                            end.completionTokens(), routed(routing, request));
                    response.setStatusCode(HttpStatus.OK);
                    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
                    return response.writeWith(Mono.just(response.bufferFactory().wrap(json.writeValueAsBytes(body))));
                }
            }
            return OpenAiErrorBody.write(response, ApiException.internal());
        });
    }

    private Mono<Void> stream(ServerHttpResponse response, GenerationJob job, ResponseShape shape, GenerationParameters request) {
        return job.events().switchOnFirst((first, all) -> {
            if (first.hasValue() && first.get() instanceof GenerationEvent.Failed failed) {
                return OpenAiErrorBody.write(response, failed.error()); // still in the queue: a plain HTTP error
            }
            response.setStatusCode(HttpStatus.OK);
            HttpHeaders headers = response.getHeaders();
            headers.setContentType(MediaType.TEXT_EVENT_STREAM);
            headers.setCacheControl("no-cache");
            headers.set("X-Accel-Buffering", "no"); // proxies must not hold the stream back
            Flux<String> frames = all.concatMap(event -> Flux.fromIterable(frames(event, shape, request)));
            // Comment lines while nothing else is sent (a long prefill), so idle-timeouts do not cut the stream.
            Flux<String> withKeepAlive = frames.publish(shared -> Flux.merge(shared,
                    Flux.interval(keepAlive, keepAlive).map(tick -> SseFrames.KEEP_ALIVE).takeUntilOther(shared.then())));
            return response.writeAndFlushWith(withKeepAlive.concatWithValues(SseFrames.DONE)
                    .map(frame -> Mono.just(response.bufferFactory().wrap(frame.getBytes(StandardCharsets.UTF_8)))));
        }).then();
    }

    private List<String> frames(GenerationEvent event, ResponseShape shape, GenerationParameters request) {
        if (event instanceof GenerationEvent.Started) {
            Object first = shape.firstChunk();
            return first == null ? List.of() : List.of(data(first));
        }
        if (event instanceof GenerationEvent.Delta delta) {
            return List.of(data(shape.textChunk(delta.text(), routed(delta.routing(), request))));
        }
        if (event instanceof GenerationEvent.Finished end) {
            String finish = data(shape.finishChunk(end.finishReason(), routed(end.routing(), request)));
            return request.includeUsage()
                    ? List.of(finish, data(shape.usageChunk(end.promptTokens(), end.completionTokens())))
                    : List.of(finish);
        }
        if (event instanceof GenerationEvent.Failed failed) {
            return List.of(SseFrames.data(OpenAiErrorBody.json(failed.error())));
        }
        return List.of();
    }

    /** One event: the chunk record's JSON, framed by hand (docs/adr/0004-hand-written-sse-frames.md). */
    private String data(Object chunk) {
        return SseFrames.data(json.writeValueAsString(chunk));
    }

    /** The routing of {@code tokens} in vLLM's {@code [tokens][layers][k]} layout, or null unless the request asked. */
    private static @Nullable RoutedExperts routed(List<TokenTrace> tokens, GenerationParameters request) {
        if (!request.routing()) {
            return null;
        }
        int[][][] experts = new int[tokens.size()][][];
        float[][][] weights = new float[tokens.size()][][];
        for (int i = 0; i < experts.length; i++) {
            experts[i] = tokens.get(i).experts();
            weights[i] = tokens.get(i).weights();
        }
        return new RoutedExperts(experts, weights);
    }
}
