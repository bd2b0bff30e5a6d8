package dev.switchboard.app.reliability;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/** What hostile request bodies do: template code in messages, megabyte prompts, and a seeded malformed-input fuzz. */
final class InputProbes {

    private final Traffic traffic;
    private final AppProcess app;

    InputProbes(AppProcess app) {
        this.app = app;
        this.traffic = new Traffic(app.base());
    }

    /**
     * Template syntax in a message must come back from /api/route as the same text, quickly, never evaluated. "Quickly"
     * is against a plain message of the same route answered just before and after (the first also warms the route up):
     * each payload within 5 s plus five times that, so a loaded machine does not fail the probe, while an evaluated
     * loop (a billion iterations) still would.
     */
    ProbeResult templateInjection() {
        long plain = plainRouteMillis();
        List<String> payloads = List.of("{{ 7*7 }}", "{{ 'abc'.toUpperCase() }}", "{% include 'application.yml' %}",
                "{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}x{% endfor %}{% endfor %}{% endfor %}",
                "{{ 'x'.repeat(1000000000) }}", "{% raw %}{{ 1 }}{% endraw %}", "{# comment #}");
        int evaluated = 0;
        int errors = 0;
        long slowest = 0;
        for (String payload : payloads) {
            long sent = System.nanoTime();
            Traffic.Outcome outcome = traffic.post("/api/route", "{\"messages\":[{\"role\":\"user\",\"content\":"
                    + Traffic.JSON.writeValueAsString(payload) + "}]}", null);
            slowest = Math.max(slowest, (System.nanoTime() - sent) / 1_000_000);
            if (outcome.status() != 200) {
                errors += outcome.serverError() ? 1 : 0;
                evaluated++;
                continue;
            }
            StringBuilder text = new StringBuilder();
            for (JsonNode token : Traffic.JSON.readTree(outcome.body()).path("tokens")) {
                text.append(token.path("text").asString());
            }
            String compact = text.toString().replaceAll("[\\s\\u2581\\u0120]", "");
            if (!compact.contains(payload.replaceAll("\\s", ""))) {
                evaluated++;
            }
        }
        plain = Math.max(plain, plainRouteMillis());
        long bound = 5000 + 5 * plain;
        return new ProbeResult("template code in messages", payloads.size(), -1, 0, errors,
                evaluated + " of " + payloads.size() + " not verbatim; slowest " + slowest + " ms (bound " + bound
                        + " ms: 5 s + 5 x a plain message's " + plain + " ms)", evaluated == 0 && slowest < bound);
    }

    /** How long /api/route takes for a plain message of about the payloads' length, now. */
    private long plainRouteMillis() {
        long sent = System.nanoTime();
        traffic.post("/api/route", "{\"messages\":[{\"role\":\"user\",\"content\":\"a plain message about routing\"}]}", null);
        return (System.nanoTime() - sent) / 1_000_000;
    }

    /**
     * Four clients send megabyte prompts for 10 s while liveness is probed every 50 ms. Liveness is probed for 5 s
     * without them first: on a machine busy with other work, liveness is slow without any prompt, and the probe then
     * passes when the prompts leave its p99 within three times that (a prompt parsed on the event loop stalls it for
     * seconds); on a quiet machine the bound is the 100 ms.
     */
    ProbeResult oversizedPrompts() throws InterruptedException {
        List<Long> quiet = livenessFor(Duration.ofSeconds(5));
        long quietP99 = p99(quiet);
        byte[] body = Traffic.utf8("{\"model\":\"" + ReliabilitySuite.MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "word ".repeat(200_000) + "\"}]}");
        HttpClient http = HttpClient.newHttpClient();
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int c = 0; c < 4; c++) {
            clients.submit(() -> {
                while (System.nanoTime() < until) {
                    try {
                        statuses.add(http.send(HttpRequest.newBuilder(app.base().resolve("/v1/chat/completions"))
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(), HttpResponse.BodyHandlers.discarding()).statusCode());
                    } catch (IOException | InterruptedException e) {
                        statuses.add(-1);
                    }
                }
            });
        }
        List<Long> liveness = livenessFor(Duration.ofNanos(until - System.nanoTime()));
        clients.shutdown();
        clients.awaitTermination(1, TimeUnit.MINUTES);
        long failedProbes = liveness.stream().filter(ms -> ms < 0).count() + quiet.stream().filter(ms -> ms < 0).count();
        long p99 = p99(liveness);
        long serverErrors = statuses.stream().filter(s -> s >= 500 || s < 0).count();
        long refused = statuses.stream().filter(s -> s == 400 || s == 413 || s == 429).count();
        return new ProbeResult("megabyte prompts, 4 clients, 10 s", statuses.size(), -1, 0, serverErrors,
                refused + " refused (400/413/429); liveness p99 " + p99 + " ms over " + liveness.size() + " probes (without the "
                        + "prompts just before: " + quietP99 + " ms over " + quiet.size() + "), " + failedProbes + " failed",
                (p99 < 100 || p99 <= 3 * quietP99) && failedProbes == 0);
    }

    /** Liveness answer times (ms; -1 for a failed probe), one probe every 50 ms for {@code span}. */
    private List<Long> livenessFor(Duration span) throws InterruptedException {
        List<Long> millis = new ArrayList<>();
        long until = System.nanoTime() + span.toNanos();
        while (System.nanoTime() < until) {
            millis.add(traffic.livenessMillis());
            Thread.sleep(50);
        }
        return millis;
    }

    private static long p99(List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    }

    /** Seeded mutations of valid requests: every answer must be a 2xx or a 4xx, never a 5xx. */
    ProbeResult malformedInputFuzz(long seed, int requests) {
        Random random = new Random(seed);
        String valid = "{\"model\":\"" + ReliabilitySuite.MODEL + "\",\"max_tokens\":4,\"temperature\":0.7,\"top_p\":0.9,"
                + "\"stop\":[\"\\n\"],\"stream\":false,\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hello\"}]}";
        String[] paths = {"/v1/chat/completions", "/v1/completions", "/api/route"};
        String[] contentTypes = {"application/json", "application/json; charset=utf-8", "text/plain", "application/xml", ""};
        String[] fragments = {"null", "-1", "1e309", "2147483648", "9999999999999999999999", "\"\"", "[]", "{}", "true",
                "\"\\u0000\"", "\"\\ud800\"", "[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]", "1e-320", "NaN", "\"x\""};
        long serverErrors = 0;
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String body = mutate(valid, random, fragments);
            String path = paths[random.nextInt(paths.length)];
            String contentType = contentTypes[random.nextInt(contentTypes.length)];
            Traffic.Outcome outcome = traffic.post(path, body, contentType.isEmpty() ? "application/octet-stream" : contentType);
            if (outcome.status() >= 500 || outcome.status() < 0) {
                serverErrors++;
                if (samples.size() < 3) {
                    samples.add(outcome.status() + " " + path + " " + body);
                }
            }
        }
        return new ProbeResult("malformed-input fuzz (seed " + seed + ")", requests, -1, 0, serverErrors,
                samples.isEmpty() ? "no 5xx" : "e.g. " + String.join("; ", samples), true);
    }

    private static String mutate(String valid, Random random, String[] fragments) {
        StringBuilder body = new StringBuilder(valid);
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            int at = random.nextInt(body.length());
            switch (random.nextInt(5)) {
                case 0 -> body.deleteCharAt(at);
                case 1 -> body.insert(at, (char) (32 + random.nextInt(95)));
                case 2 -> {
                    int colon = body.indexOf(":", at);
                    int end = colon < 0 ? -1 : indexOfAny(body, colon + 1, ",}");
                    if (end > colon) {
                        body.replace(colon + 1, end, fragments[random.nextInt(fragments.length)]);
                    }
                }
                case 3 -> body.setLength(at);
                default -> body.insert(at, fragments[random.nextInt(fragments.length)]);
            }
        }
        return body.toString();
    }

    private static int indexOfAny(StringBuilder text, int from, String chars) {
        for (int i = from; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
