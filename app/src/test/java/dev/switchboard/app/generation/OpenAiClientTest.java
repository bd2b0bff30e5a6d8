package dev.switchboard.app.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK against the running app, nothing changed but the base URL and key. */
class OpenAiClientTest extends ServingTestBase {

    private OpenAIClient client;

    @BeforeEach
    void connect() {
        client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey(ServingTest.API_KEY)
                .maxRetries(0).build();
    }

    private ChatCompletionCreateParams.Builder chat() {
        return ChatCompletionCreateParams.builder().model(ServingTest.MODEL).addUserMessage("Hello there").maxCompletionTokens(6)
                .temperature(0.0); // greedy: a sampled run could draw EOS before the length limit
    }

    @Test
    void nonStreamingChat() {
        ChatCompletion completion = client.chat().completions().create(chat().build());
        assertThat(completion.id()).startsWith("chatcmpl-");
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().get(0).message().content()).hasValueSatisfying(text -> assertThat(text).isNotEmpty());
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(completion.usage()).hasValueSatisfying(usage -> assertThat(usage.completionTokens()).isEqualTo(6));
    }

    @Test
    void streamingChatWithUsageChunk() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                chat().streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }
        StringBuilder text = new StringBuilder();
        for (ChatCompletionChunk chunk : chunks) {
            chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
        }
        assertThat(text).isNotEmpty();
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        Optional<CompletionUsage> usage = last.usage();
        assertThat(usage).hasValueSatisfying(u -> {
            assertThat(u.completionTokens()).isEqualTo(6);
            assertThat(u.totalTokens()).isEqualTo(u.promptTokens() + u.completionTokens());
        });
        assertThat(chunks.get(chunks.size() - 2).choices().get(0).finishReason())
                .hasValue(ChatCompletionChunk.Choice.FinishReason.LENGTH);
    }

    @Test
    void legacyCompletion() {
        Completion completion = client.completions().create(CompletionCreateParams.builder()
                .model(ServingTest.MODEL).prompt("Once upon a time").maxTokens(4).build());
        assertThat(completion.id()).startsWith("cmpl-");
        assertThat(completion.choices().get(0).text()).isNotEmpty();
        assertThat(completion.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isEqualTo(4));
    }
}
