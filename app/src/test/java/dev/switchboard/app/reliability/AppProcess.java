package dev.switchboard.app.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real server jar as a child process on loopback, with the embedded PostgreSQL in its data directory: start,
 * wait until ready, SIGTERM, kill -9, and SIGSTOP/SIGCONT or kill of its PostgreSQL.
 */
final class AppProcess {

    static final String ADMIN_TOKEN = "reliability-admin";

    private final Path jar;
    private final Path dataDir;
    private final int port;
    private final Path log;
    private final List<String> extraArgs;
    private Process process;

    AppProcess(Path jar, Path dataDir, int port, List<String> extraArgs) {
        this.jar = jar;
        this.dataDir = dataDir;
        this.port = port;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        this.extraArgs = extraArgs;
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    int port() {
        return port;
    }

    /** Starts the jar and waits until readiness is UP (the model loaded); returns how long that took. */
    Duration start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jar.toString(), "--server.port=" + port,
                "--server.address=127.0.0.1", "--switchboard.data-dir=" + dataDir,
                "--switchboard.security.admin-token=" + ADMIN_TOKEN));
        command.addAll(extraArgs);
        Files.createDirectories(dataDir);
        long started = System.nanoTime();
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = started + Duration.ofMinutes(6).toNanos(); // a start takes ~20 s alone, minutes on a busy shared machine
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + " during start-up; see " + log);
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(base().resolve("/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - started);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the server was not ready within 6 minutes; see " + log);
    }

    /** SIGTERM, then waits for the exit; returns the exit code. */
    int terminate(Duration wait) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            return -1;
        }
        return process.exitValue();
    }

    /** kill -9: no shutdown hook, no drain, no final flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** The embedded PostgreSQL's postmaster pid and port, from its {@code postmaster.pid}. */
    long postgresPid() throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
    }

    int postgresPort() throws IOException {
        return Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(3).trim());
    }

    /** Sends {@code signal} (e.g. STOP, CONT) to the embedded PostgreSQL's postmaster and all its backends. */
    void signalPostgres(String signal) throws IOException, InterruptedException {
        long pid = postgresPid();
        List<String> pids = new ArrayList<>();
        pids.add(Long.toString(pid));
        ProcessHandle.of(pid).ifPresent(postmaster -> postmaster.descendants().forEach(child -> pids.add(Long.toString(child.pid()))));
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        command.addAll(pids);
        new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    /** Tokens routed at layer 0 as stored in PostgreSQL (the statistics the server acknowledged). */
    long storedRoutedTokens(String model) throws IOException, SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + postgresPort() + "/postgres";
        try (Connection db = DriverManager.getConnection(url, "postgres", "");
                var query = db.prepareStatement("SELECT coalesce(sum(tokens), 0) FROM layer_window WHERE layer = 0 AND model_id = ?")) {
            query.setString(1, model);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
