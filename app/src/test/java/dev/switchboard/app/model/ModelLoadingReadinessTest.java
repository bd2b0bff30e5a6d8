package dev.switchboard.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.SwitchboardApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Readiness is DOWN while the model loads (load balancers must not send traffic yet) and inference
 * answers 503; liveness is UP all along. The real fixture model loads, held back by a latch.
 */
class ModelLoadingReadinessTest {

    static final CountDownLatch RELEASE = new CountDownLatch(1);

    @TempDir
    Path dataDir;

    @Test
    void readinessIsDownUntilTheModelHasLoaded() {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SwitchboardApplication.class, HeldBackLoader.class)
                .run("--server.port=0", "--switchboard.data-dir=" + dataDir, "--switchboard.model=" + ServingTest.FIXTURE,
                        "--switchboard.security.admin-token=loading-admin", "--spring.main.allow-bean-definition-overriding=true")) {
            WebTestClient web = WebTestClient.bindToServer()
                    .baseUrl("http://localhost:" + app.getEnvironment().getProperty("local.server.port"))
                    .responseTimeout(Duration.ofSeconds(30)).build();

            web.get().uri("/actuator/health/readiness").header("Authorization", "Bearer loading-admin").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.components.model.status").isEqualTo("DOWN");
            web.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
            web.post().uri("/v1/chat/completions").header("Content-Type", "application/json")
                    .bodyValue("{\"model\":\"" + ServingTest.MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .exchange().expectStatus().isEqualTo(503).expectBody().jsonPath("$.error.type").exists();

            RELEASE.countDown();
            awaitReady(web);
            web.get().uri("/v1/models").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.data[0].id").isEqualTo(ServingTest.MODEL);
        }
    }

    private static void awaitReady(WebTestClient web) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (web.get().uri("/actuator/health/readiness").exchange().returnResult(String.class).getStatus().value() != 200) {
            assertThat(System.nanoTime()).as("ready within 60 s of the model's release").isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The real loader, started only once the test has looked at the loading state. */
    @TestConfiguration(proxyBeanMethods = false)
    static class HeldBackLoader {
        @Bean
        @Primary
        ServedModelLoader heldBackModelLoader(dev.switchboard.runtime.model.ExpertKindResolver kinds, ExpertFaultListener faults) {
            MoeModelLoader real = new MoeModelLoader(kinds, faults, "cpu", "auto");
            return (directory, id) -> {
                try {
                    if (!RELEASE.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never released the model load");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return real.load(directory, id);
            };
        }
    }
}
