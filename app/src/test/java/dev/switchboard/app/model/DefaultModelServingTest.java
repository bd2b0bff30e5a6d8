package dev.switchboard.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.switchboard.app.SwitchboardApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Started with no {@code switchboard.model}, the app serves the shipped switchboard-mini, and the official
 * OpenAI SDK gets from it the answer it was taught, streamed and not.
 */
@SpringBootTest(
        classes = SwitchboardApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"switchboard.data-dir=target/test-data/default-model", "switchboard.security.admin-token=default-admin"})
@AutoConfigureWebTestClient
class DefaultModelServingTest {

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient web;

    private OpenAIClient client;

    @BeforeEach
    void awaitModelAndConnect() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (web.get().uri("/actuator/health/readiness").exchange().returnResult(String.class).getStatus().value() != 200) {
            assertThat(System.nanoTime()).as("readiness within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey("unused").maxRetries(0).build();
    }

    @Test
    void listsTheDefaultModel() {
        List<Model> models = client.models().list().data();
        assertThat(models).extracting(Model::id).containsExactly(DefaultModel.ID);
    }

    @Test
    void givesTheTaughtAnswerStreamedAndNot() throws IOException {
        String question = "What is a mixture of experts?";
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(DefaultModel.ID)
                .addUserMessage(question).maxCompletionTokens(64).temperature(0.0).build();
        ChatCompletion completion = client.chat().completions().create(params);
        String answer = completion.choices().get(0).message().content().orElseThrow();
        assertThat(answer).isEqualTo(taughtAnswer(question));
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params.toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }
        StringBuilder streamed = new StringBuilder();
        chunks.forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().content().ifPresent(streamed::append)));
        assertThat(streamed.toString()).isEqualTo(answer);
        assertThat(chunks.get(chunks.size() - 1).usage()).hasValueSatisfying(usage ->
                assertThat(usage.completionTokens()).isEqualTo(completion.usage().orElseThrow().completionTokens()));
    }

    /** The answer the model was trained on (app/src/default-model/about.jsonl, relative to the app module). */
    private static String taughtAnswer(String question) throws IOException {
        return Files.readAllLines(Path.of("src/default-model/about.jsonl")).stream()
                .filter(line -> !line.isBlank())
                .map(line -> JsonParser.parseString(line).getAsJsonObject())
                .filter(exchange -> exchange.get("user").getAsString().equals(question))
                .map(exchange -> exchange.get("assistant").getAsString())
                .findFirst().orElseThrow();
    }
}
