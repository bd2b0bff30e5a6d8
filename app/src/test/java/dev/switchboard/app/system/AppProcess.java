package dev.switchboard.app.system;

import java.io.IOException;
import java.net.ServerSocket;
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

/**
 * The packaged application ({@code target/switchboard.jar}) as its own process, the way an operator or
 * Kubernetes runs it: started with arguments, stopped with SIGTERM or SIGKILL. Output goes to a file in
 * {@code workDir} (kept for reading after a failure).
 */
final class AppProcess implements AutoCloseable {

    static final Path JAR = Path.of("target/switchboard.jar");

    final int port;
    final Path output;
    private final Process process;

    private AppProcess(int port, Path output, Process process) {
        this.port = port;
        this.output = output;
        this.process = process;
    }

    /**
     * Starts {@code java -jar switchboard.jar} on a free port with {@code args}.
     *
     * @param prefix put before {@code java} (such as {@code setpriv} to run as another user); may be empty
     * @param jvmOptions put between {@code java} and {@code -jar}
     */
    static AppProcess start(Path workDir, String name, List<String> prefix, List<String> jvmOptions, String... args)
            throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(javaBinary(), "-Xmx512m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString(), "--server.port=" + port));
        command.addAll(List.of(args));
        Path output = workDir.resolve(name + ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new AppProcess(port, output, process);
    }

    static AppProcess start(Path workDir, String name, String... args) throws IOException {
        return start(workDir, name, List.of(), List.of(), args);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Waits until readiness answers 200 (model loaded, database answering); fails with the output otherwise. */
    void awaitReady(Duration limit) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the application exited with " + process.exitValue() + " before it was ready:\n" + output());
            }
            try {
                HttpRequest probe = HttpRequest.newBuilder(uri("/actuator/health/readiness")).timeout(Duration.ofSeconds(2)).build();
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not ready within " + limit + ":\n" + output());
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM, as Kubernetes sends at pod deletion. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Waits for the process to end; returns its exit code, or fails after {@code limit}. */
    int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + limit);
        }
        return process.exitValue();
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Never leaves a process behind, whatever the test did. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
