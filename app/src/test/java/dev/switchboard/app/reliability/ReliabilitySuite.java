package dev.switchboard.app.reliability;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The reliability suite (docs/RELIABILITY.md): starts the real server jar on loopback with the embedded PostgreSQL
 * and the shipped default model, runs every probe against it, bounded in time, and prints per probe what was
 * sent, what was lost and the server errors, as a Markdown table (also written to
 * {@code target/reliability/results.md}). Fails when a probe fails.
 *
 * <p>Run: {@code ./mvnw -Preliability -DskipTests -pl app -am verify} (about 6 minutes on 2 cores).
 */
public final class ReliabilitySuite {

    static final String MODEL = "switchboard-mini";

    private interface Probe {
        ProbeResult run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "target/switchboard.jar").toAbsolutePath();
        Path work = Path.of(args.length > 1 ? args[1] : "target/reliability").toAbsolutePath();
        deleteRecursively(work);
        AppProcess app = new AppProcess(jar, work.resolve("data"), freePort(), List.of());
        System.out.println("Starting " + jar + " (data in " + work + ") ...");
        Duration startup = app.start();
        System.out.println("Ready after " + startup.toMillis() + " ms");
        InputProbes input = new InputProbes(app);
        ConnectionProbes connections = new ConnectionProbes(app);
        LifecycleProbes lifecycle = new LifecycleProbes(app);
        List<Probe> probes = List.of(
                input::templateInjection,
                input::oversizedPrompts,
                () -> input.malformedInputFuzz(42, 300),
                () -> connections.idleAndSlowConnections(100, Duration.ofSeconds(90)),
                () -> connections.droppedStreams(16),
                () -> connections.droppedStreams(64),
                lifecycle::hotSwapsUnderLoad,
                lifecycle::databaseFreeze,
                lifecycle::databaseCrash,
                lifecycle::gracefulDrain,
                lifecycle::killAndRestart);
        List<ProbeResult> results = new ArrayList<>();
        try {
            for (Probe probe : probes) {
                ProbeResult result = runOne(probe);
                System.out.println(result.markdownRow());
                results.add(result);
            }
        } finally {
            if (app.alive()) {
                app.terminate(Duration.ofSeconds(60));
            }
        }
        String table = table(results);
        Files.writeString(work.resolve("results.md"), table);
        System.out.println();
        System.out.println(table);
        long failed = results.stream().filter(r -> !r.passed()).count();
        if (failed > 0) {
            throw new IllegalStateException(failed + " of " + results.size() + " reliability probes failed");
        }
    }

    private static ProbeResult runOne(Probe probe) {
        try {
            return probe.run();
        } catch (Exception e) {
            return new ProbeResult("probe aborted: " + e, 0, -1, 0, 1, "", false);
        }
    }

    private static String table(List<ProbeResult> results) {
        StringBuilder table = new StringBuilder("Run " + Instant.now() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, Java " + System.getProperty("java.version") + "\n\n"
                + "| probe | sent | lost | server errors | measured | result |\n|---|---|---|---|---|---|\n");
        results.forEach(result -> table.append(result.markdownRow()).append('\n'));
        return table.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
