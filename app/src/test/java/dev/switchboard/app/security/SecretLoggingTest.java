package dev.switchboard.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.SwitchboardApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Secrets never reach the logs: not the configured admin token, not an inference key or admin token a client
 * presents (right or wrong, through {@code Authorization} or {@code X-Api-Key}, on 200, 400, 401 and 403 paths),
 * from start-up to shutdown, with every logger at DEBUG. Only a generated admin token is printed, once, at
 * start-up. Checked in everything the application logs (a Logback appender on the root logger) and everything it
 * prints (System.out and System.err). The client is the JDK's, with its own loggers off, so what is captured is
 * the server's.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretLoggingTest {

    private static final String RUN = UUID.randomUUID().toString().replace("-", "");
    private static final String API_KEY = "sk-live-" + RUN;
    private static final String WRONG_KEY = "sk-wrong-" + RUN;
    private static final String ADMIN_TOKEN = "admin-" + RUN;
    private static final String WRONG_ADMIN_TOKEN = "admin-wrong-" + RUN;
    private static final Pattern GENERATED = Pattern.compile("generated for this run: (\\S+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private int port;

    @Test
    void configuredAndPresentedSecretsNeverReachTheLogs(CapturedOutput output) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        try (LogCapture logs = new LogCapture()) {
            try (ConfigurableApplicationContext app = start(logs, "--switchboard.model=" + ServingTest.FIXTURE,
                    "--switchboard.security.admin-token=" + ADMIN_TOKEN,
                    "--switchboard.security.api-key-sha256=" + sha256Hex(API_KEY))) {
                awaitModel();
                String chat = "{\"model\":\"" + ServingTest.MODEL + "\",\"max_tokens\":3,\"temperature\":0,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]";
                statuses.add(get("/v1/models", "Authorization", "Bearer " + API_KEY));
                statuses.add(get("/v1/models", "X-Api-Key", API_KEY));
                statuses.add(post("/v1/chat/completions", chat + "}", "Authorization", "Bearer " + API_KEY));
                statuses.add(post("/v1/chat/completions", chat + ",\"stream\":true}", "Authorization", "Bearer " + API_KEY));
                statuses.add(post("/v1/chat/completions", chat + ",\"n\":3}", "Authorization", "Bearer " + API_KEY));
                statuses.add(get("/api/admin/plugins", "Authorization", "Bearer " + ADMIN_TOKEN));
                statuses.add(get("/actuator/prometheus", "X-Api-Key", ADMIN_TOKEN));
                statuses.add(get("/v1/models", "Authorization", "Bearer " + WRONG_KEY));
                statuses.add(post("/v1/chat/completions", chat + "}", "X-Api-Key", WRONG_KEY));
                statuses.add(get("/api/admin/plugins", "Authorization", "Bearer " + WRONG_ADMIN_TOKEN));
                statuses.add(get("/api/admin/plugins", "Authorization", "Bearer " + API_KEY));
                statuses.add(get("/v1/models", "Authorization", "Basic " + API_KEY));
            }
            assertThat(statuses).as("200 with the right secrets, 400, then 401 and 403 with wrong ones")
                    .containsExactly(200, 200, 200, 200, 400, 200, 200, 401, 401, 401, 403, 401);
            // The capture is live at request time and at DEBUG: it saw the requests being handled.
            assertThat(logs.eventsContaining("/api/admin/plugins")).as("DEBUG events of request handling")
                    .anySatisfy(event -> assertThat(event).startsWith("DEBUG"));
            for (String secret : List.of(API_KEY, WRONG_KEY, ADMIN_TOKEN, WRONG_ADMIN_TOKEN, RUN)) {
                assertThat(logs.eventsContaining(secret)).as("logging events naming %s", secret).isEmpty();
                assertThat(linesContaining(output.getAll(), secret)).as("printed lines naming %s", secret).isEmpty();
            }
        }
    }

    @Test
    void aGeneratedAdminTokenIsPrintedOnceAtStartUpAndNeverAgain(CapturedOutput output) throws Exception {
        try (LogCapture logs = new LogCapture()) {
            String token;
            try (ConfigurableApplicationContext app = start(logs)) {
                Matcher printed = GENERATED.matcher(logs.text());
                assertThat(printed.find()).as("the generated admin token is logged at start-up").isTrue();
                token = printed.group(1);
                assertThat(get("/api/admin/plugins", "Authorization", "Bearer " + token)).isEqualTo(200);
                assertThat(get("/actuator/prometheus", "X-Api-Key", token)).isEqualTo(200);
                assertThat(get("/api/admin/plugins", "Authorization", "Bearer " + token + "x")).isEqualTo(401);
                assertThat(get("/v1/models", "Authorization", "Bearer " + token)).isEqualTo(200);
            }
            assertThat(logs.eventsContaining(token)).as("logging events naming the token").hasSize(1);
            assertThat(linesContaining(output.getAll(), token)).as("printed lines naming the token").hasSize(1);
        }
    }

    private ConfigurableApplicationContext start(LogCapture logs, String... args) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--switchboard.data-dir=target/test-data/secrets",
                "--switchboard.plugins-dir=target/test-plugins/secrets", "--logging.level.root=DEBUG",
                "--logging.level.jdk.internal.httpclient=OFF"));
        all.addAll(List.of(args));
        ConfigurableApplicationContext app = new SpringApplicationBuilder(SwitchboardApplication.class).listeners(logs)
                .run(all.toArray(String[]::new));
        port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        return app;
    }

    private void awaitModel() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).GET()).statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the fixture model did not load within 120 s");
    }

    private int get(String path, String header, String value) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header(header, value).GET()).statusCode();
    }

    private int post(String path, String json, String header, String value) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header(header, value).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))).statusCode();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static List<String> linesContaining(String text, String needle) {
        return text.lines().filter(line -> line.contains(needle)).toList();
    }

    private static String sha256Hex(String secret) {
        return HexFormat.of().formatHex(Credentials.sha256(secret));
    }
}
