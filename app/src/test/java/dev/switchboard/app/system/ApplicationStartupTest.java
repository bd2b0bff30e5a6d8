package dev.switchboard.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.SwitchboardApplication;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The whole application starts on the embedded PostgreSQL, migrated by Flyway, and reports UP (here serving no model). */
@SpringBootTest(
        classes = SwitchboardApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"switchboard.data-dir=target/test-data/startup", "switchboard.security.admin-token=startup-admin",
            "switchboard.model=none", "switchboard.security.cors-allowed-origins=" + ApplicationStartupTest.ALLOWED_ORIGIN})
@AutoConfigureWebTestClient
class ApplicationStartupTest {

    static final String ALLOWED_ORIGIN = "https://dashboard.example";

    @Autowired
    DatabaseClient database;

    @Autowired
    WebTestClient web;

    @Test
    void flywayAppliedEveryMigrationFromTheDbModule() {
        List<String> applied = database.sql("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")
                .map(row -> row.get("version", String.class))
                .all()
                .collectList()
                .block(Duration.ofSeconds(10));

        assertThat(applied).startsWith("1");
    }

    @Test
    void healthIsUpWithTheDatabaseAndProbes() {
        web.get().uri("/actuator/health").header("Authorization", "Bearer startup-admin").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc.status").isEqualTo("UP")
                .jsonPath("$.components.livenessState.status").isEqualTo("UP")
                .jsonPath("$.components.readinessState.status").isEqualTo("UP");
    }

    @Test
    void livenessAndReadinessGroupsAnswer() {
        web.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        web.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void withoutAModelInferenceAnswers503InOpenAisShape() {
        web.post().uri("/v1/chat/completions").header("Content-Type", "application/json")
                .bodyValue("{\"model\":\"any\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.error.code").isEqualTo("model_not_configured")
                .jsonPath("$.error.type").isEqualTo("service_unavailable_error");
        web.get().uri("/v1/models").exchange().expectStatus().isOk().expectBody().jsonPath("$.data.length()").isEqualTo(0);
    }

    @Test
    void prometheusEndpointServesMetrics() {
        web.get().uri("/actuator/prometheus").header("Authorization", "Bearer startup-admin").exchange()
                .expectStatus().isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
    }

    @Test
    void anOriginListedForCorsMayCallInferenceAndAnotherMayNot() {
        String chat = "{\"model\":\"any\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        web.post().uri("/v1/chat/completions").header("Origin", ALLOWED_ORIGIN).header("Content-Type", "application/json")
                .bodyValue(chat).exchange()
                .expectStatus().isEqualTo(503) // reached the endpoint: no model here
                .expectHeader().valueEquals("Access-Control-Allow-Origin", ALLOWED_ORIGIN);
        web.post().uri("/v1/chat/completions").header("Origin", "https://evil.example").header("Content-Type", "application/json")
                .bodyValue(chat).exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.error.code").isEqualTo("origin_not_allowed");
    }
}
