package dev.switchboard.app.connections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.http.MediaType;

/**
 * Idle connections and connections that trickle their headers (slowloris) are closed by the server, while other
 * clients are served meanwhile and a streamed response outlives the idle timeout. Loopback only, a few sockets.
 */
class ConnectionTimeoutsTest extends ServingTestBase {

    /** Far above both timeouts: a connection still open by then was never going to be closed. */
    private static final Duration GIVE_UP = Duration.ofSeconds(12);

    @Autowired
    ConfigurableEnvironment environment;

    @Test
    void theShippedConfigurationSetsBothTimeouts() {
        // This context overrides both (see ServingTest); read what application.yml itself ships.
        PropertySource<?> shipped = environment.getPropertySources().stream()
                .filter(source -> source.getName().contains("application.yml")).findFirst().orElseThrow();
        assertThat(shipped.getProperty("server.netty.idle-timeout")).as("idle timeout").hasToString("60s");
        ConnectionProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate(ConnectionProperties.PREFIX, ConnectionProperties.class);
        assertThat(defaults.headerReadTimeout()).as("header-read-timeout default").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anIdleConnectionIsClosed() throws IOException {
        try (Socket idle = connect()) {
            long started = System.nanoTime();
            assertThat(readUntilClosed(idle.getInputStream())).as("nothing was ever sent, so nothing to answer").isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("closed by the idle timeout, not the socket's")
                    .isLessThan(GIVE_UP);
        }
    }

    @Test
    void aConnectionThatTricklesItsHeadersIsAnswered408AndClosed() throws IOException, InterruptedException {
        try (Socket slow = connect()) {
            var out = slow.getOutputStream();
            out.write("GET /actuator/health/liveness HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            long deadline = System.nanoTime() + GIVE_UP.toNanos();
            // One header line every 300 ms: far more often than the idle timeout, so only a header deadline ends it.
            boolean closedByServer = false;
            for (int line = 0; System.nanoTime() < deadline; line++) {
                Thread.sleep(300);
                if (slow.getInputStream().available() > 0) {
                    closedByServer = true;
                    break;
                }
                try {
                    out.write(("X-Slow-" + line + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (SocketException closed) {
                    closedByServer = true;
                    break;
                }
            }
            assertThat(closedByServer).as("the server gave up on the headers within " + GIVE_UP).isTrue();
            String answer = readUntilClosed(slow.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"request_timeout\"");
        }
    }

    @Test
    void otherClientsAreServedWhileIdleAndSlowConnectionsAreOpen() throws IOException {
        try (Socket idle = connect(); Socket slow = connect()) {
            slow.getOutputStream().write("GET / HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
            anonymous.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
            post("/v1/chat/completions", chat("\"max_tokens\":2")).expectStatus().isOk();
        }
    }

    @Test
    void aStreamOutlivesTheIdleTimeoutOnItsKeepAlives() {
        controls.prefillDelay(ServingTest.IDLE_TIMEOUT_MILLIS + 600); // no token for longer than the idle timeout
        long started = System.nanoTime();
        String stream = web.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(chat("\"max_tokens\":2,\"stream\":true")).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(ServingTest.IDLE_TIMEOUT_MILLIS));
        assertThat(stream).contains(": keep-alive").contains("\"finish_reason\":\"length\"").endsWith("data: [DONE]\n\n");
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) GIVE_UP.toMillis());
        return socket;
    }

    /** Everything until the server closes; fails if it is still open after {@link #GIVE_UP}. */
    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the server kept the connection open for " + GIVE_UP, stillOpen);
        } catch (SocketException reset) {
            // closed with unread input: a reset is a close too
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
