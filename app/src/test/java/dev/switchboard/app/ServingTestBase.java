package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.generation.SchedulerProbe;
import dev.switchboard.app.model.ModelControls;
import dev.switchboard.app.model.ModelHolder;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** Shared set-up of the {@link ServingTest} classes: waits for the model, resets the knobs, checks no cache leaked. */
@ServingTest
public abstract class ServingTestBase {

    /**
     * Keep-alive connections of the test clients, dropped after 20 s idle: the server closes a connection idle for
     * {@code server.netty.idle-timeout} (60 s), and a client that reuses one just as it closes gets "connection
     * prematurely closed" (the test context, and with it the server, outlives many test classes). Every client of the
     * server should keep its idle time below the server's.
     */
    private static final ConnectionProvider CONNECTIONS = ConnectionProvider.builder("serving-tests")
            .maxIdleTime(Duration.ofSeconds(20))
            .build();

    @Autowired
    protected WebTestClient anonymous;

    @Autowired
    protected ModelControls controls;

    @Autowired
    protected ModelHolder holder;

    @Autowired
    private ApplicationContext context;

    @LocalServerPort
    protected int port;

    /** Sends the inference key. */
    protected WebTestClient web;

    @BeforeEach
    void awaitModelAndReset() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (holder.current().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(holder.current()).as("the fixture model loaded").isPresent();
        controls.reset();
        // The server's own codec limit (spring.codec.max-in-memory-size) reaches the test client too; a Prometheus
        // scrape of a context many tests have used outgrows it.
        anonymous = anonymous.mutate()
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create(CONNECTIONS)))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 << 20))
                .build();
        web = anonymous.mutate()
                .responseTimeout(Duration.ofSeconds(30))
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ServingTest.API_KEY)
                .build();
    }

    @AfterEach
    void everyKvCacheFreed() throws InterruptedException {
        controls.reset();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (controls.openSequences() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(controls.openSequences()).as("KV caches still open after the test").isZero();
        while (SchedulerProbe.inFlight(context) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(SchedulerProbe.inFlight(context)).as("admission slots still taken after the test").isZero();
    }

    protected WebTestClient.ResponseSpec post(String uri, String json) {
        return web.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }

    protected static String chat(String extraFields) {
        return "{\"model\":\"" + ServingTest.MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]"
                + (extraFields.isEmpty() ? "" : "," + extraFields) + "}";
    }
}
