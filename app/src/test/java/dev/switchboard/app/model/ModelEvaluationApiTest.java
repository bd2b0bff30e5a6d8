package dev.switchboard.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.SwitchboardApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/stats/eval} on the app serving the shipped default model: the held-out losses of the
 * {@code eval-report.json} shipped beside it, typed, one entry per evaluated domain of the recipe it names; 404 in OpenAI's
 * error shape when the model folder has no report, or for another model. Same settings as
 * {@link DefaultModelServingTest}, so the two share one application context.
 */
@SpringBootTest(
        classes = SwitchboardApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"switchboard.data-dir=target/test-data/default-model", "switchboard.security.admin-token=default-admin"})
@AutoConfigureWebTestClient
class ModelEvaluationApiTest {

    private static final Path INSTALLED = DefaultModel.directory(Path.of("target/test-data/default-model")).resolve("eval-report.json");
    private static final Path RECIPE = Path.of("src/default-model/recipe.json");

    @Autowired
    WebTestClient web;

    private WebTestClient admin;

    @BeforeEach
    void awaitModel() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (web.get().uri("/actuator/health/readiness").exchange().returnResult(String.class).getStatus().value() != 200) {
            assertThat(System.nanoTime()).as("readiness within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        admin = web.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer default-admin").build();
    }

    @Test
    void answersTheShippedReportsHeldOutLossPerRecipeDomain() throws Exception {
        JsonNode view = get("/api/stats/eval?model=" + DefaultModel.ID, 200);
        assertThat(view.path("model").asString()).isEqualTo(DefaultModel.ID);
        assertThat(view.path("source").asString()).isEqualTo("eval-report.json");
        JsonNode report = view.path("report");
        assertThat(report.path("measuredAt").asString()).as("when eval ran").isNotBlank();
        assertThat(report.path("windowsPerDomain").asInt()).isPositive();
        List<String> recipeDomains = new ArrayList<>();
        JsonMapper.builder().build().readTree(Files.readString(RECIPE)).path("domains")
                .forEach(d -> recipeDomains.add(d.path("name").asString()));
        List<String> domains = new ArrayList<>();
        for (JsonNode domain : report.path("heldOut").path("domains")) {
            domains.add(domain.path("domain").asString());
            assertThat(domain.path("natsPerToken").asDouble()).as(domain + " nats/token").isPositive()
                    .isLessThan(Math.log(2048)); // below a model that knows nothing of its 2,048-piece vocabulary
            assertThat(domain.path("bitsPerByte").asDouble()).as(domain + " bits/byte").isPositive();
            assertThat(domain.path("tokens").asLong()).isEqualTo(domain.path("windows").asLong() * report.path("window").asLong());
        }
        // eval leaves out a domain whose held-out text is shorter than one window (the default model's chat)
        assertThat(domains).as("domains of the recipe, in its order").isNotEmpty().isSubsetOf(recipeDomains)
                .isSortedAccordingTo(java.util.Comparator.comparingInt(recipeDomains::indexOf));
    }

    @Test
    void aModelFolderWithoutAReportOrAnotherModelAnswers404InTheErrorShape() throws Exception {
        Path aside = INSTALLED.resolveSibling("eval-report.json.aside");
        Files.move(INSTALLED, aside, StandardCopyOption.REPLACE_EXISTING);
        try {
            JsonNode error = get("/api/stats/eval?model=" + DefaultModel.ID, 404).path("error");
            assertThat(error.path("code").asString()).isEqualTo("eval_report_not_found");
            assertThat(error.path("message").asString()).contains("eval --model");
        } finally {
            Files.move(aside, INSTALLED, StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(get("/api/stats/eval?model=nope", 404).path("error").path("code").asString()).isEqualTo("model_not_found");
    }

    private JsonNode get(String uri, int status) {
        byte[] body = admin.get().uri(uri).exchange().expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody();
        return JsonMapper.builder().build().readTree(body);
    }
}
