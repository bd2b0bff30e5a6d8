package dev.switchboard.app.fleet;

import dev.switchboard.app.ServingTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Steady load over two replicas, alternating between them, from a client that retries as the OpenAI SDKs do: on
 * 503 and on connection errors (refused, reset), against the other replica, a few times with a short backoff. A
 * request fails only when every attempt failed or one answered another error.
 */
final class RetryingLoad implements AutoCloseable {

    private static final int ATTEMPTS = 6;

    private final AtomicReferenceArray<URI> replicas;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger retried = new AtomicInteger();
    private final Thread thread;

    RetryingLoad(URI first, URI second) {
        replicas = new AtomicReferenceArray<>(new URI[] {first, second});
        thread = new Thread(this::run, "retrying-load");
        thread.start();
    }

    /** Where replica {@code index} answers now (a restarted replica has a new port). */
    void moved(int index, URI base) {
        replicas.set(index, base);
    }

    private void run() {
        int next = 0;
        while (!stop.get()) {
            if (request(next++ % 2)) {
                completed.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
        }
    }

    private boolean request(int first) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            URI base = replicas.get((first + attempt) % 2);
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/v1/completions"))
                        .header("Authorization", "Bearer " + ServingTest.API_KEY).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + ServingTest.MODEL
                                + "\",\"max_tokens\":3,\"prompt\":\"Hello\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return true;
                }
                if (response.statusCode() != 503 && response.statusCode() != 429) {
                    return false;
                }
            } catch (IOException connection) {
                // refused or reset: retried, as the SDKs retry connection errors
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            retried.incrementAndGet();
            try {
                Thread.sleep(100L << Math.min(attempt, 3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(60_000);
    }
}
