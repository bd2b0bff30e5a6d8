package dev.switchboard.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Public routes answer anyone, whatever credentials come along, and show no internals: anonymous health is
 * the status only; the components and their details (paths, database, model errors) need the admin token.
 */
class PublicRoutesTest extends ServingTestBase {

    private static final List<String> PUBLIC = List.of("/actuator/health", "/actuator/health/liveness",
            "/actuator/health/readiness", "/v3/api-docs", "/", "/index.html", "/favicon.ico");

    @Test
    void anonymousHealthIsTheStatusOnly() {
        for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            anonymous.get().uri(path).exchange().expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.status").isEqualTo("UP")
                    .jsonPath("$.components").doesNotExist()
                    .jsonPath("$.details").doesNotExist();
        }
        anonymous.get().uri("/actuator/health/diskSpace").exchange().expectBody().jsonPath("$.details").doesNotExist();
        web.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.components").doesNotExist();
    }

    @Test
    void theAdminTokenShowsHealthDetails() {
        anonymous.get().uri("/actuator/health").header(HttpHeaders.AUTHORIZATION, "Bearer " + ServingTest.ADMIN_TOKEN)
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.components.r2dbc.details.database").isEqualTo("PostgreSQL")
                .jsonPath("$.components.model.status").isEqualTo("UP")
                .jsonPath("$.components.diskSpace.details.path").exists();
    }

    @Test
    void aWrongKeyDoesNotCloseAPublicRoute() {
        // The first /v3/api-docs builds the document, which takes seconds on a busy machine.
        WebTestClient anonymous = this.anonymous.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        for (String path : PUBLIC) {
            anonymous.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer sk-wrong").exchange()
                    .expectStatus().isOk();
            anonymous.get().uri(path).header("X-Api-Key", "sk-wrong").exchange().expectStatus().isOk();
        }
        anonymous.get().uri("/actuator/health").header(HttpHeaders.AUTHORIZATION, "Bearer sk-wrong").exchange()
                .expectBody().jsonPath("$.components").doesNotExist();
    }

    @Test
    void theDashboardHasAnIcon() {
        anonymous.get().uri("/favicon.ico").exchange().expectStatus().isOk()
                .expectBody(byte[].class).value(icon -> assertThat(icon).startsWith(0, 0, 1, 0));
    }
}
