package dev.switchboard.app.routingstats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.SwitchboardApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An open {@code /api/stats/live} stream (a connected dashboard) does not hold shutdown up: it ends normally as
 * the application closes, and closing takes seconds, not the web server's 30 s graceful-shutdown phase timeout
 * that it used to wait out for the never-ending stream. On an application of its own, closed by the test.
 */
class LiveStreamShutdownTest {

    @Test
    void anOpenLiveStreamEndsAtShutdownAndDoesNotDelayIt() throws Exception {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(SwitchboardApplication.class)
                .run("--server.port=0", "--switchboard.data-dir=target/test-data/live-shutdown",
                        "--switchboard.security.admin-token=live-admin", "--switchboard.stats.flush-interval=200ms");
        int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        HttpResponse<Stream<String>> live = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/stats/live"))
                        .header("Authorization", "Bearer live-admin").timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(live.statusCode()).isEqualTo(200);
        // Read on until the stream ends; the first frames arrive while the application runs.
        CompletableFuture<Long> frames = CompletableFuture.supplyAsync(
                () -> live.body().filter(line -> line.startsWith("data: ")).count());
        Thread.sleep(500);

        long closing = System.nanoTime();
        app.close();
        Duration shutdown = Duration.ofNanos(System.nanoTime() - closing);

        assertThat(shutdown).as("time to close with a live stream open").isLessThan(Duration.ofSeconds(15));
        assertThat(frames.get(5, TimeUnit.SECONDS)).as("frames before the stream ended normally").isPositive();
    }
}
