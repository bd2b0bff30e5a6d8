package dev.switchboard.app.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.model.ModelControls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

/**
 * Takes every admission place of the {@link ServingTest} configuration (2 running + 2 queued) with slow
 * streams, so that the next generation request is refused with 429. Closing it disconnects the streams,
 * which cancels their generations and frees the places.
 */
final class FullAdmission implements AutoCloseable {

    /** {@code switchboard.serving.max-running} + {@code max-queued} in {@link ServingTest}. */
    static final int PLACES = 4;

    private final List<Disposable> streams = new ArrayList<>();

    private FullAdmission() {}

    /**
     * Slows every step down and opens {@link #PLACES} streams; returns once all of them are admitted. The
     * queued two are refused (503) after {@code max-queue-wait} (2 s), so use the full server at once.
     */
    static FullAdmission take(int port, ModelControls controls, ApplicationContext context) throws InterruptedException {
        controls.stepDelay(200);
        FullAdmission full = new FullAdmission();
        WebClient client = WebClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ServingTest.API_KEY).build();
        String body = "{\"model\":\"" + ServingTest.MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hold on\"}],"
                + "\"max_tokens\":60,\"stream\":true}";
        for (int i = 0; i < PLACES; i++) {
            full.streams.add(client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .retrieve().bodyToFlux(String.class).subscribe(chunk -> {}, error -> {}));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (SchedulerProbe.inFlight(context) < PLACES && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(SchedulerProbe.inFlight(context)).as("every admission place taken").isEqualTo(PLACES);
        return full;
    }

    @Override
    public void close() {
        streams.forEach(Disposable::dispose);
    }
}
