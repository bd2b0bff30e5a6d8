package dev.switchboard.app.connections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.SwitchboardApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenario at small scale, on the shipped timeouts: a Switchboard in its own JVM whose descriptor limit
 * is lowered (prlimit) to a few dozen above what it uses, then flooded over loopback with connections that send a
 * partial request header and hold. The accept failures are counted (and logged) instead of passing in silence, and
 * once the header-read timeout has closed the slow connections, liveness answers again while they are still held.
 */
class DescriptorExhaustionTest {

    private static final String ADMIN = "descriptor-admin";
    private static final int HEADROOM = 40;
    private static final int FLOOD = HEADROOM + 60;

    @TempDir
    Path dataDir;

    @Test
    void runningOutOfDescriptorsIsCountedAndTheServerRecovers() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = dataDir.resolve("app.log");
        Process app = new ProcessBuilder(java(), "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                SwitchboardApplication.class.getName(), "--server.port=" + port, "--switchboard.data-dir=" + dataDir,
                "--switchboard.model=none", "--switchboard.plugins-dir=" + dataDir.resolve("plugins"),
                "--switchboard.security.admin-token=" + ADMIN)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<Socket> flood = new ArrayList<>();
        try {
            awaitLiveness(port, Duration.ofSeconds(180), log);
            // Answer one error first: the classes of the error path are then loaded (loading a class from the
            // test's classes folder needs a descriptor, which the flood will not leave).
            assertThat(get(port, "/no-such-route").statusCode()).isEqualTo(404);
            long open;
            try (var descriptors = Files.list(Path.of("/proc", Long.toString(app.pid()), "fd"))) {
                open = descriptors.count();
            }
            prlimit(app.pid(), open + HEADROOM);

            for (int i = 0; i < FLOOD; i++) {
                Socket socket = new Socket("127.0.0.1", port); // the kernel completes the handshake; accept may not
                socket.getOutputStream().write("GET /actuator/health/liveness HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                flood.add(socket);
            }
            // The flood's connections are all still open on this side: liveness must come back through the timeouts.
            long flooded = System.nanoTime();
            awaitLiveness(port, Duration.ofSeconds(40), log);
            double failures = acceptFailures(port);
            System.out.printf("Descriptor exhaustion: %d held connections, %.0f accept failures, liveness back after %.1f s%n",
                    FLOOD, failures, (System.nanoTime() - flooded) / 1e9);
            assertThat(failures).as("accept failures for lack of descriptors").isPositive();
        } finally {
            for (Socket socket : flood) {
                socket.close();
            }
            app.destroy(); // SIGTERM: a graceful stop, so its embedded PostgreSQL stops too
            if (!app.waitFor(90, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    private static void prlimit(long pid, long descriptors) throws IOException, InterruptedException {
        Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + descriptors + ":" + descriptors)
                .redirectErrorStream(true).start();
        assertThat(prlimit.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(prlimit.exitValue()).as(new String(prlimit.getInputStream().readAllBytes())).isZero();
    }

    private static void awaitLiveness(int port, Duration within, Path log) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (get(port, "/actuator/health/liveness").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // refused, timed out or reset: not answering yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("liveness did not answer within " + within + "; app log:\n" + tail(log));
    }

    /** A fresh client each time: a pooled connection could be one the server is about to close. */
    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double acceptFailures(int port) throws IOException, InterruptedException {
        String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/actuator/prometheus")).header("Authorization", "Bearer " + ADMIN).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher line = Pattern.compile("(?m)^switchboard_connections_accept_failures_total\\{reason=\"descriptors\"} (\\S+)$")
                .matcher(scrape);
        assertThat(line.find()).as("the counter is exported").isTrue();
        return Double.parseDouble(line.group(1));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
