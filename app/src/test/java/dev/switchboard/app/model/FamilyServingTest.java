package dev.switchboard.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.app.SwitchboardApplication;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import dev.switchboard.runtime.tokenizer.TextStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The app serving a Qwen2-MoE checkpoint written by the numpy reference (fixtures/regenerate.sh): layer 0 is a dense
 * MLP, layer 1 routes to 4 experts and adds a shared expert. Over HTTP it answers with the reference's 16 greedy
 * tokens; its routing trace and expert table show the dense layer and the always-on shared expert; the lifecycle
 * refuses, with a 409 that says why, what it cannot do to either.
 */
@SpringBootTest(
        classes = SwitchboardApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "switchboard.data-dir=target/test-data/family-serving",
            "switchboard.model=" + FamilyServingTest.FIXTURE,
            "switchboard.security.admin-token=" + FamilyServingTest.ADMIN_TOKEN
        })
@AutoConfigureWebTestClient
class FamilyServingTest {

    static final String FIXTURE = "../router-service/src/test/resources/fixtures/qwen2-moe-dense-bf16";
    static final String ADMIN_TOKEN = "family-admin";

    @Autowired
    WebTestClient anonymous;

    private WebTestClient admin;

    @BeforeEach
    void awaitModel() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (anonymous.get().uri("/actuator/health/readiness").exchange().returnResult(String.class).getStatus().value() != 200) {
            assertThat(System.nanoTime()).as("readiness within 120 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        admin = anonymous.mutate().responseTimeout(Duration.ofSeconds(30))
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN).build();
    }

    @Test
    void answersWithTheReferencesGreedyTokens() throws IOException {
        JsonObject expected = expected("generate");
        int[] generated = ints(expected.getAsJsonArray("generated_ids"));
        JsonObject completion = post("/v1/completions", "{\"model\":\"qwen2-moe-dense-bf16\",\"prompt\":"
                + expected.getAsJsonArray("prompt_ids") + ",\"max_tokens\":16,\"temperature\":0,\"routing\":true}", 200);

        JsonObject choice = completion.getAsJsonArray("choices").get(0).getAsJsonObject();
        assertThat(completion.getAsJsonObject("usage").get("completion_tokens").getAsInt()).isEqualTo(16);
        assertThat(choice.get("finish_reason").getAsString()).isEqualTo("length");
        try (MoeTokenizer tokenizer = MoeTokenizer.load(Path.of(FIXTURE))) {
            TextStream detokenizer = tokenizer.textStream(); // the served text is streamed token by token
            StringBuilder text = new StringBuilder();
            for (int id : generated) {
                text.append(detokenizer.push(id));
            }
            assertThat(choice.get("text").getAsString()).isEqualTo(text.append(detokenizer.flush()).toString());
        }
        JsonArray routed = choice.getAsJsonArray("routed_experts");
        assertThat(routed.size()).isEqualTo(16);
        for (int t = 0; t < routed.size(); t++) {
            JsonArray layers = routed.get(t).getAsJsonArray();
            assertThat(layers.get(0).toString()).as("the dense layer's one MLP").isEqualTo("[0]");
            assertThat(layers.get(1).getAsJsonArray().size()).as("top-2 of the routed experts").isEqualTo(2);
        }
    }

    @Test
    void theTraceAndTheExpertTableShowTheDenseLayerAndTheAlwaysOnSharedExpert() {
        JsonObject trace = post("/api/route", "{\"input\":\"Hello world\"}", 200);
        assertThat(trace.get("dense_layers").toString()).isEqualTo("[0]");
        assertThat(trace.get("shared_expert_layers").toString()).isEqualTo("[1]");
        assertThat(trace.get("experts").getAsInt()).isEqualTo(4);
        JsonObject layer0 = trace.getAsJsonArray("tokens").get(0).getAsJsonObject().getAsJsonArray("layers").get(0)
                .getAsJsonObject();
        assertThat(layer0.get("weights").toString()).isEqualTo("[1.0]");

        JsonObject table = get("/api/admin/experts");
        JsonObject dense = table.getAsJsonArray("layers").get(0).getAsJsonObject();
        JsonObject sparse = table.getAsJsonArray("layers").get(1).getAsJsonObject();
        assertThat(dense.get("dense").getAsBoolean()).isTrue();
        assertThat(dense.get("sharedExpert").isJsonNull()).isTrue();
        assertThat(sparse.get("dense").getAsBoolean()).isFalse();
        assertThat(sparse.get("numExperts").getAsInt()).isEqualTo(4);
        JsonObject shared = sparse.getAsJsonObject("sharedExpert");
        assertThat(shared.get("kind").getAsString()).isEqualTo("swiglu");
        assertThat(shared.get("parameters").getAsLong()).isEqualTo(3L * 56 * 32); // shared_expert_intermediate_size 56
    }

    @Test
    void theLifecycleRefusesWhatItCannotDoToTheSharedExpertAndTheDenseLayer() {
        assertThat(post("/api/admin/experts/layers/1/experts/shared/disable", "", 409).getAsJsonObject("error")
                .get("message").getAsString()).contains("shared expert of layer 1 cannot be disabled")
                .contains("runs on every token");
        assertThat(post("/api/admin/experts/layers/0/experts/0/disable", "", 409).getAsJsonObject("error")
                .get("message").getAsString()).contains("layer 0 is a dense layer");
        assertThat(post("/api/admin/experts/layers/0/replace", "{\"kind\":\"int8-swiglu\"}", 409)
                .getAsJsonObject("error").get("message").getAsString()).contains("layer 0 is a dense layer");
        assertThat(post("/api/admin/experts/contributed", "{\"plugin\":\"example-relu-mlp\",\"name\":\"example-relu\"}", 409)
                .getAsJsonObject("error").get("message").getAsString()).contains("layer 0 of this qwen2_moe model is a dense layer");
        // the routed experts of the sparse layer keep their lifecycle
        post("/api/admin/experts/layers/1/experts/3/disable", "", 200);
        post("/api/admin/experts/layers/1/experts/3/enable", "", 200);
    }

    private JsonObject post(String path, String body, int status) {
        String answer = admin.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isEqualTo(status).expectBody(String.class).returnResult().getResponseBody();
        return JsonParser.parseString(answer).getAsJsonObject();
    }

    private JsonObject get(String path) {
        String answer = admin.get().uri(path).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
        return JsonParser.parseString(answer).getAsJsonObject();
    }

    private static JsonObject expected(String event) throws IOException {
        return Files.readAllLines(Path.of(FIXTURE, "expected.jsonl")).stream()
                .map(line -> JsonParser.parseString(line).getAsJsonObject())
                .filter(json -> json.get("event").getAsString().equals(event)).findFirst().orElseThrow();
    }

    private static int[] ints(JsonArray array) {
        return StreamSupport.stream(array.spliterator(), false).mapToInt(element -> element.getAsInt()).toArray();
    }
}
