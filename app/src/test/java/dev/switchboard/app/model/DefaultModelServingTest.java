package dev.switchboard.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.switchboard.app.SwitchboardApplication;
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
 * OpenAI SDK gets correct answers from it, streamed and not.
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
    void answersASumStreamedAndNotTheSame() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(DefaultModel.ID)
                .addUserMessage("What is 12 + 30?").maxCompletionTokens(24).temperature(0.0).build();
        ChatCompletion completion = client.chat().completions().create(params);
        String answer = completion.choices().get(0).message().content().orElseThrow();
        assertThat(answer).contains("42");
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
}
