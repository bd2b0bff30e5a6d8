package dev.switchboard.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.SwitchboardApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two applications in one JVM (as the tests run them) do not share Reactor Netty's event loops: closing one
 * leaves the other serving, and each closes promptly.
 */
class TwoApplicationsTest {

    @Test
    void closingOneApplicationLeavesAnotherInTheSameJvmServing() throws Exception {
        try (ConfigurableApplicationContext second = start("second")) {
            Duration closingFirst;
            try (ConfigurableApplicationContext first = start("first")) {
                assertThat(liveness(first)).isEqualTo(200);
                assertThat(liveness(second)).isEqualTo(200);
                long closing = System.nanoTime();
                first.close();
                closingFirst = Duration.ofNanos(System.nanoTime() - closing);
            }
            assertThat(liveness(second)).as("the second application after the first closed").isEqualTo(200);
            assertThat(closingFirst).isLessThan(Duration.ofSeconds(15));
        }
    }

    private static ConfigurableApplicationContext start(String name) {
        return new SpringApplicationBuilder(SwitchboardApplication.class).run("--server.port=0",
                "--switchboard.data-dir=target/test-data/two-" + name, "--switchboard.security.admin-token=two-admin");
    }

    private static int liveness(ConfigurableApplicationContext app) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port") + "/actuator/health/liveness");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
