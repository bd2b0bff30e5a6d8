package dev.switchboard.app.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import dev.switchboard.app.model.ModelControls;
import tools.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Continuous batching and admission against the real model slowed down per step: joins at step boundaries,
 * one batched forward for all running sequences, 429 beyond the limits (2 running + 2 queued in the test
 * configuration), queue-wait timeout, cancellation within a step, the server-side deadline, chunked prefill
 * interleaved with decode steps, and the inference thread (never a Netty event loop).
 */
class SchedulerBehaviourTest extends ServingTestBase {

    /** {@code switchboard.serving.prefill-chunk-tokens}, left at its default in the test configuration. */
    private static final int CHUNK = 128;

    private WebClient client() {
        return WebClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ServingTest.API_KEY).build();
    }

    private Mono<Integer> status(String body) {
        return client().post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()));
    }

    @Test
    void concurrentRequestsShareBatchedForwardsOnTheInferenceThread() {
        controls.stepDelay(20);
        List<Integer> statuses = Flux.range(0, 2).flatMap(i -> status(chat("\"temperature\":0,\"max_tokens\":8"))).collectList()
                .block(Duration.ofSeconds(30));
        assertThat(statuses).containsOnly(200);
        List<ModelControls.Step> steps = controls.steps();
        assertThat(steps).allSatisfy(step -> {
            assertThat(step.thread()).isEqualTo(GenerationScheduler.THREAD_NAME);
            assertThat(step.nonBlockingThread()).as("never on a Netty/Reactor non-blocking thread").isFalse();
        });
        assertThat(steps).as("a decode step fed both sequences one token each in one forward")
                .anySatisfy(step -> assertThat(step.inputLengths()).containsExactly(1, 1));
    }

    @Test
    void aLongPromptIsPrefilledInChunksWithTheRunningSequenceDecodedBetweenThem() throws InterruptedException {
        controls.stepDelay(10);
        // A: a stream that is decoding when the long prompt arrives (greedy, so no early EOS).
        BlockingQueue<String> runningChunks = new LinkedBlockingQueue<>();
        Disposable running = client().post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(chat("\"stream\":true,\"temperature\":0,\"max_tokens\":300")).retrieve()
                .bodyToFlux(String.class).subscribe(runningChunks::add);
        try {
            assertThat(runningChunks.poll(20, TimeUnit.SECONDS)).as("the running stream's first chunk").isNotNull();
            // B: a prompt of several chunks (prefill-chunk-tokens is 128 by default).
            String longPrompt = String.join(" ", Collections.nCopies(60, "the cat sat on the mat"));
            JsonNode answer = client().post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"model\":\"" + ServingTest.MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                            + longPrompt + "\"}],\"temperature\":0,\"max_tokens\":1}")
                    .retrieve().bodyToMono(JsonNode.class).block(Duration.ofSeconds(30));
            int promptTokens = answer.path("usage").path("prompt_tokens").asInt();
            assertThat(promptTokens).as("the long prompt needs at least three chunks").isGreaterThan(2 * CHUNK);
        } finally {
            running.dispose();
        }
        List<ModelControls.Step> steps = controls.steps();
        int runningId = steps.get(0).sequenceIds()[0]; // A's prefill was the first step of the test
        int longId = steps.stream().flatMapToInt(step -> Arrays.stream(step.sequenceIds())).filter(id -> id != runningId)
                .findFirst().orElseThrow();
        List<Integer> chunkSteps = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            int[] ids = steps.get(i).sequenceIds();
            int[] lengths = steps.get(i).inputLengths();
            assertThat(Arrays.stream(lengths).sum()).as("step %d runs at most one chunk of prompt tokens", i)
                    .isLessThanOrEqualTo(CHUNK);
            for (int k = 0; k < ids.length; k++) {
                if (ids[k] == longId && lengths[k] > 1) {
                    chunkSteps.add(i);
                }
            }
        }
        assertThat(chunkSteps).as("the long prompt's chunks").hasSizeGreaterThanOrEqualTo(3);
        for (int c = 1; c < chunkSteps.size(); c++) {
            List<ModelControls.Step> between = steps.subList(chunkSteps.get(c - 1) + 1, chunkSteps.get(c));
            assertThat(between).as("a decode step of the running sequence between chunks %d and %d", c - 1, c)
                    .anySatisfy(step -> {
                        assertThat(step.sequenceIds()).containsExactly(runningId);
                        assertThat(step.inputLengths()).containsExactly(1);
                    });
        }
    }

    @Test
    void overloadIs429WithRetryAfterAndTheQueueNeverGrowsPastItsBound() {
        controls.stepDelay(40);
        AtomicInteger retryAfterSeen = new AtomicInteger();
        List<Integer> statuses = Flux.range(0, 8)
                .flatMap(i -> client().post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(chat("\"max_tokens\":6")).exchangeToMono(response -> {
                            if (response.statusCode().value() == 429 && response.headers().header("Retry-After").equals(List.of("1"))) {
                                retryAfterSeen.incrementAndGet();
                            }
                            return response.releaseBody().thenReturn(response.statusCode().value());
                        }), 8)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(statuses).filteredOn(s -> s == 429).as("beyond 2 running + 2 queued").hasSize(4);
        // The 4 admitted finish (200); on a loaded machine a queued one may instead time out in the queue (503).
        assertThat(statuses).filteredOn(s -> s != 429).hasSize(4).allMatch(s -> s == 200 || s == 503)
                .contains(200);
        assertThat(retryAfterSeen.get()).isEqualTo(4);
    }

    @Test
    void requestsWaitingPastTheQueueLimitGet503AndLeaveTheQueue() {
        controls.stepDelay(100); // the two running need ~3 s; the queue wait limit is 2 s
        List<Integer> statuses = Flux.range(0, 3).flatMap(i -> status(chat("\"temperature\":0,\"max_tokens\":30")), 3)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(statuses).containsExactlyInAnyOrder(200, 200, 503);
    }

    @Test
    void disconnectingAStreamCancelsItsSequenceWithinAStep() throws InterruptedException {
        controls.stepDelay(30);
        StepVerifier.create(client().post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(chat("\"stream\":true,\"temperature\":0,\"max_tokens\":1000")).retrieve().bodyToFlux(String.class))
                .expectNextCount(3)
                .thenCancel()
                .verify(Duration.ofSeconds(20));
        awaitNoOpenSequences(Duration.ofMillis(1000));
        int stepsAfterCancel = controls.steps().size();
        Thread.sleep(200);
        assertThat(controls.steps().size()).as("no more steps once the only sequence left").isEqualTo(stepsAfterCancel);
    }

    @Test
    void disconnectingANonStreamedRequestAlsoCancels() {
        controls.stepDelay(30);
        Mono<String> call = client().post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(chat("\"temperature\":0,\"max_tokens\":1000")).retrieve().bodyToMono(String.class);
        StepVerifier.create(call.timeout(Duration.ofMillis(500))).expectError().verify(Duration.ofSeconds(10));
        awaitNoOpenSequences(Duration.ofSeconds(2));
        assertThat(controls.steps().size()).as("stopped long before 1000 tokens").isLessThan(200);
    }

    @Test
    void theServerSideDeadlineEndsALongGenerationWithLength() {
        // Greedy: a sampled run could draw EOS early and end with "stop" before the deadline is reached.
        controls.stepDelay(100); // 200 tokens would take 20 s; the request timeout is 4 s
        long started = System.nanoTime();
        post("/v1/chat/completions", chat("\"temperature\":0,\"max_tokens\":200")).expectStatus().isOk()
                .expectBody().jsonPath("$.choices[0].finish_reason").isEqualTo("length")
                .jsonPath("$.usage.completion_tokens").value(n -> assertThat((Integer) n).isLessThan(200));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void metricsCountTokensRequestsAndLatencies() {
        post("/v1/chat/completions", chat("\"max_tokens\":3")).expectStatus().isOk();
        anonymous.get().uri("/actuator/prometheus")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ServingTest.ADMIN_TOKEN).exchange()
                .expectStatus().isOk().expectBody(String.class).value(body -> assertThat(body)
                        .contains("switchboard_tokens_generated_tokens_total")
                        .contains("switchboard_requests_finished_total{endpoint=\"chat\",finish_reason=\"length\"")
                        .contains("switchboard_time_to_first_token_seconds_count")
                        .contains("switchboard_inter_token_latency_seconds_count")
                        .contains("switchboard_queue_size")
                        .contains("switchboard_sequences_running"));
    }

    private void awaitNoOpenSequences(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (controls.openSequences() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(controls.openSequences()).as("KV cache freed within %s", within).isZero();
    }

}
