package dev.switchboard.app.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * Spring AI's OpenAI chat model (spring-ai-openai 2.0.1) against the running app, configured with nothing but
 * the base URL and the key: chat, streaming, usage, and the server's 400 and 429 as the client's own exceptions.
 */
class SpringAiClientTest extends ServingTestBase {

    @Autowired
    private ApplicationContext context;

    /** What a Spring AI user writes: the base URL and the key; everything else is the client's default. */
    private OpenAiChatOptions.Builder connection() {
        return OpenAiChatOptions.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey(ServingTest.API_KEY)
                .model(ServingTest.MODEL);
    }

    private static Prompt hello(OpenAiChatOptions options) {
        return new Prompt("Hello there", options);
    }

    @Test
    void chatAnswersWithTextAndUsage() {
        OpenAiChatModel model = OpenAiChatModel.builder().options(connection().build()).build();

        ChatResponse response = model.call(hello(OpenAiChatOptions.builder().model(ServingTest.MODEL).temperature(0.0)
                .maxTokens(6).build()));

        assertThat(response.getResult().getOutput().getText()).isNotEmpty();
        assertThat(response.getResult().getMetadata().getFinishReason()).isEqualToIgnoringCase("length");
        assertThat(response.getMetadata().getId()).startsWith("chatcmpl-");
        Usage usage = response.getMetadata().getUsage();
        assertThat(usage.getCompletionTokens()).isEqualTo(6);
        assertThat(usage.getPromptTokens()).isPositive();
        assertThat(usage.getTotalTokens()).isEqualTo(usage.getPromptTokens() + usage.getCompletionTokens());
    }

    @Test
    void streamingDeliversTheTextAndTheUsageAtTheEnd() {
        OpenAiChatModel model = OpenAiChatModel.builder().options(connection().build()).build();

        List<ChatResponse> chunks = model.stream(hello(OpenAiChatOptions.builder().model(ServingTest.MODEL).temperature(0.0)
                .maxTokens(6).streamUsage(true).build())).collectList().block(Duration.ofSeconds(30));

        assertThat(chunks).hasSizeGreaterThan(1);
        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk -> chunk.getResults().forEach(generation -> {
            String piece = generation.getOutput().getText();
            text.append(piece == null ? "" : piece);
        }));
        assertThat(text).isNotEmpty();
        Usage usage = chunks.get(chunks.size() - 1).getMetadata().getUsage();
        assertThat(usage.getCompletionTokens()).isEqualTo(6);
        assertThat(usage.getTotalTokens()).isEqualTo(usage.getPromptTokens() + usage.getCompletionTokens());
    }

    @Test
    void aRequestOverTheContextIsTheClientsBadRequestExceptionWithTheServersMessage() {
        OpenAiChatModel model = OpenAiChatModel.builder().options(connection().build()).build();
        Prompt tooLong = hello(OpenAiChatOptions.builder().model(ServingTest.MODEL).maxTokens(100_000).build());

        assertThatThrownBy(() -> model.call(tooLong)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("This model's maximum context length is 4096 tokens")
                .satisfies(e -> assertThat(((BadRequestException) e).statusCode()).isEqualTo(400));
        // Spring AI streams through the SDK's async client, which wraps the same exception in a CompletionException.
        assertThatThrownBy(() -> model.stream(tooLong).blockLast(Duration.ofSeconds(30)))
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(BadRequestException.class)
                .hasMessageContaining("This model's maximum context length is 4096 tokens");
    }

    @Test
    void aFullServerIsTheClientsRateLimitExceptionWithTheServersMessage() throws InterruptedException {
        // The client retries 429 by default, as Retry-After invites; with retries off the refusal reaches the caller.
        OpenAiChatModel model = OpenAiChatModel.builder().options(connection().maxRetries(0).build()).build();
        Prompt prompt = hello(OpenAiChatOptions.builder().model(ServingTest.MODEL).maxTokens(4).build());

        try (FullAdmission full = FullAdmission.take(port, controls, context)) {
            assertThatThrownBy(() -> model.call(prompt)).isInstanceOf(RateLimitException.class)
                    .hasMessageContaining("The server is busy")
                    .satisfies(e -> assertThat(((RateLimitException) e).statusCode()).isEqualTo(429));
        }
    }
}
