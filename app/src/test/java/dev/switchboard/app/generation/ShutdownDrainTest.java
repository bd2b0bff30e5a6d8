package dev.switchboard.app.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.SwitchboardApplication;
import dev.switchboard.app.model.ControlledModelConfiguration;
import dev.switchboard.app.model.ModelControls;
import dev.switchboard.app.model.ModelHolder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Graceful shutdown with open streams, on an application of its own (it is closed by the test): readiness goes
 * DOWN and new requests get 503 while draining, a short stream finishes normally, long ones end at the drain
 * deadline with a terminal chunk and [DONE], and the context closes well within Spring's 30 s phase timeout.
 */
class ShutdownDrainTest {

    @Test
    void drainEndsOpenStreamsAndRefusesNewWork() throws Exception {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(SwitchboardApplication.class, ControlledModelConfiguration.class)
                // Arguments, not default properties: application.yml's data-dir must not win over the test's.
                .run("--server.port=0", "--switchboard.data-dir=target/test-data/drain", "--switchboard.model=" + ServingTest.FIXTURE,
                        "--switchboard.security.admin-token=drain-admin", "--switchboard.serving.drain-timeout=1500ms",
                        "--switchboard.serving.keep-alive=10s");
        ModelHolder holder = app.getBean(ModelHolder.class);
        long loadDeadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (holder.current().isEmpty() && System.nanoTime() < loadDeadline) {
            Thread.sleep(50);
        }
        app.getBean(ModelControls.class).stepDelay(50);
        int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        WebClient client = WebClient.create("http://127.0.0.1:" + port);

        CompletableFuture<String> longStream = stream(client, 1000).toFuture();
        CompletableFuture<String> shortStream = stream(client, 12).toFuture();
        Thread.sleep(400); // both have started and sent their first chunks

        long closing = System.nanoTime();
        CompletableFuture<Void> closed = CompletableFuture.runAsync(app::close);
        Thread.sleep(300); // inside the drain window
        Integer lateStatus = client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body(5, false))
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .onErrorReturn(-1).block(Duration.ofSeconds(10));
        Integer readiness = client.get().uri("/actuator/health/readiness")
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .onErrorReturn(-1).block(Duration.ofSeconds(10));

        String shortBody = shortStream.get();
        String longBody = longStream.get();
        closed.get();
        Duration shutdown = Duration.ofNanos(System.nanoTime() - closing);

        assertThat(lateStatus).as("new work during the drain").isEqualTo(503);
        assertThat(readiness).as("readiness during the drain").isEqualTo(503);
        assertThat(shortBody).contains("\"finish_reason\":\"length\"").endsWith("data: [DONE]\n\n");
        assertThat(longBody).as("ended at the drain deadline with a terminal chunk")
                .contains("\"finish_reason\":\"length\"").endsWith("data: [DONE]\n\n");
        assertThat(List.of(longBody.split("\n\n"))).filteredOn(f -> f.contains("\"content\":\"")).hasSizeLessThan(200);
        assertThat(shutdown).isLessThan(Duration.ofSeconds(15));
    }

    private static Mono<String> stream(WebClient client, int maxTokens) {
        return client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.ACCEPT, MediaType.TEXT_EVENT_STREAM_VALUE).bodyValue(body(maxTokens, true))
                .retrieve().bodyToFlux(org.springframework.core.io.buffer.DataBuffer.class)
                .map(buffer -> {
                    String text = buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
                    org.springframework.core.io.buffer.DataBufferUtils.release(buffer);
                    return text;
                })
                .reduce("", String::concat);
    }

    private static String body(int maxTokens, boolean stream) {
        return "{\"model\":\"" + ServingTest.MODEL + "\",\"stream\":" + stream + ",\"temperature\":0,\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }
}
