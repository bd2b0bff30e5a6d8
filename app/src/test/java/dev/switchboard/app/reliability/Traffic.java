package dev.switchboard.app.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Requests to one server: chat completions that count what they sent and what came back, probes and scrapes. */
final class Traffic {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Traffic(URI base) {
        this.base = base;
    }

    /** One non-streaming chat completion's outcome; {@code routedTokens} = prompt + completion − 1 (the last is never fed). */
    record Outcome(int status, long routedTokens, String body) {
        boolean serverError() {
            return status >= 500 && status != 503; // 503 is the documented answer while draining or loading
        }
    }

    Outcome chat(String content, int maxTokens) {
        String body = "{\"model\":\"" + ReliabilitySuite.MODEL + "\",\"max_tokens\":" + maxTokens + ",\"temperature\":0,"
                + "\"messages\":[{\"role\":\"user\",\"content\":" + JSON.writeValueAsString(content) + "}]}";
        return post("/v1/chat/completions", body, null);
    }

    Outcome post(String path, String body, String contentType) {
        try {
            HttpResponse<String> response = http.send(request(path).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", contentType == null ? "application/json" : contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            long routed = 0;
            if (response.statusCode() == 200 && path.equals("/v1/chat/completions")) {
                JsonNode usage = JSON.readTree(response.body()).path("usage");
                routed = usage.path("prompt_tokens").asLong() + usage.path("completion_tokens").asLong() - 1;
            }
            return new Outcome(response.statusCode(), routed, response.body());
        } catch (IOException e) {
            return new Outcome(-1, 0, e.toString()); // connection refused or reset: the server was going away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(-1, 0, "interrupted");
        }
    }

    /** Admin POST; the status code. */
    int admin(String path) throws IOException, InterruptedException {
        return http.send(request(path).header("Authorization", "Bearer " + AppProcess.ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Opens a chat stream and reads it; closes it after {@code readChunks} data lines, or reads to the end if negative. */
    int stream(String content, int maxTokens, int readChunks) throws IOException, InterruptedException {
        String body = "{\"model\":\"" + ReliabilitySuite.MODEL + "\",\"max_tokens\":" + maxTokens + ",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":" + JSON.writeValueAsString(content) + "}]}";
        HttpResponse<InputStream> response = http.send(request("/v1/chat/completions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                return response.statusCode();
            }
            int chunks = 0;
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) != -1; ) {
                if (b != '\n') {
                    line.append((char) b);
                    continue;
                }
                String text = line.toString();
                line.setLength(0);
                if (text.equals("data: [DONE]")) {
                    return 200;
                }
                if (text.startsWith("data: ") && ++chunks == readChunks) {
                    return 200; // closing the stream cancels the generation
                }
            }
            return 599; // ended without [DONE]: a broken stream
        }
    }

    /** Milliseconds for one liveness answer; -1 when it failed. */
    long livenessMillis() {
        long sent = System.nanoTime();
        try {
            int status = http.send(request("/actuator/health/liveness").timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 ? (System.nanoTime() - sent) / 1_000_000 : -1;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    /** Status and milliseconds of one readiness answer (status -1 when none within 10 s). */
    long[] readiness() {
        long sent = System.nanoTime();
        try {
            int status = http.send(request("/actuator/health/readiness").timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return new long[] {status, (System.nanoTime() - sent) / 1_000_000};
        } catch (IOException | InterruptedException e) {
            return new long[] {-1, (System.nanoTime() - sent) / 1_000_000};
        }
    }

    /** {@code switchboard_queue_size} and {@code switchboard_sequences_running}; -1 where a gauge is missing or NaN. */
    long[] queueAndRunning() throws IOException, InterruptedException {
        String text = http.send(request("/actuator/prometheus").header("Authorization", "Bearer " + AppProcess.ADMIN_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new long[] {gauge(text, "switchboard_queue_size"), gauge(text, "switchboard_sequences_running")};
    }

    private static long gauge(String prometheusText, String name) {
        Matcher matcher = Pattern.compile("^" + name + "(\\{[^}]*})? ([0-9.eE+NaN-]+)$", Pattern.MULTILINE).matcher(prometheusText);
        if (!matcher.find()) {
            return -1;
        }
        double value = Double.parseDouble(matcher.group(2));
        return Double.isNaN(value) ? -1 : (long) value;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path));
    }

    /** Clients that send chat completions in a loop until stopped, counting statuses and routed tokens. */
    final class Load implements AutoCloseable {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong ok = new AtomicLong();
        final AtomicLong serverErrors = new AtomicLong();
        final AtomicLong routedTokens = new AtomicLong();
        final List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService clients;

        Load(int clients, int maxTokens) {
            this.clients = Executors.newFixedThreadPool(clients);
            for (int c = 0; c < clients; c++) {
                int client = c;
                this.clients.submit(() -> {
                    for (int i = 0; running.get(); i++) {
                        sent.incrementAndGet();
                        Outcome outcome = chat("Client " + client + " request " + i + ": tell me about experts.", maxTokens);
                        if (outcome.status() == 200) {
                            ok.incrementAndGet();
                            routedTokens.addAndGet(outcome.routedTokens());
                        } else if (outcome.status() < 0) {
                            pause(); // the server is going away or not back yet: no point in hammering the port
                        } else if (outcome.serverError()) {
                            serverErrors.incrementAndGet();
                            if (errorSamples.size() < 3) {
                                errorSamples.add(outcome.status() + " " + outcome.body());
                            }
                        }
                    }
                });
            }
        }

        private static void pause() {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            clients.shutdown();
            clients.awaitTermination(2, TimeUnit.MINUTES);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
