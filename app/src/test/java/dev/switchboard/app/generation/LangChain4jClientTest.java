package dev.switchboard.app.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * LangChain4j's OpenAI chat models (langchain4j-open-ai 1.19.0) against the running app, configured with nothing
 * but the base URL and the key: chat, streaming, usage, and the server's 400 and 429 as the client's own exceptions.
 */
class LangChain4jClientTest extends ServingTestBase {

    @Autowired
    private ApplicationContext context;

    private String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    private OpenAiChatModel.OpenAiChatModelBuilder chat() {
        return OpenAiChatModel.builder().baseUrl(baseUrl()).apiKey(ServingTest.API_KEY).modelName(ServingTest.MODEL);
    }

    private OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder streaming() {
        return OpenAiStreamingChatModel.builder().baseUrl(baseUrl()).apiKey(ServingTest.API_KEY).modelName(ServingTest.MODEL);
    }

    /** The whole streamed answer: partial texts joined, and the final response (or the error the handler got). */
    private record Streamed(String text, ChatResponse response) {}

    private static Streamed stream(OpenAiStreamingChatModel model) throws Exception {
        StringBuilder text = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat("Hello there", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                text.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse response = done.get(30, TimeUnit.SECONDS);
        return new Streamed(text.toString(), response);
    }

    @Test
    void chatAnswersWithTextAndUsage() {
        ChatResponse response = chat().temperature(0.0).maxTokens(6).build().chat(
                ChatRequest.builder().messages(UserMessage.from("Hello there")).build());

        assertThat(response.aiMessage().text()).isNotEmpty();
        assertThat(response.id()).startsWith("chatcmpl-");
        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        TokenUsage usage = response.tokenUsage();
        assertThat(usage.outputTokenCount()).isEqualTo(6);
        assertThat(usage.inputTokenCount()).isPositive();
        assertThat(usage.totalTokenCount()).isEqualTo(usage.inputTokenCount() + usage.outputTokenCount());
    }

    @Test
    void streamingDeliversTheTextAndTheUsage() throws Exception {
        Streamed streamed = stream(streaming().temperature(0.0).maxTokens(6).build());

        assertThat(streamed.text()).isNotEmpty().isEqualTo(streamed.response().aiMessage().text());
        assertThat(streamed.response().finishReason()).isEqualTo(FinishReason.LENGTH);
        TokenUsage usage = streamed.response().tokenUsage();
        assertThat(usage.outputTokenCount()).isEqualTo(6);
        assertThat(usage.totalTokenCount()).isEqualTo(usage.inputTokenCount() + usage.outputTokenCount());
    }

    @Test
    void aRequestOverTheContextIsTheClientsInvalidRequestExceptionWithTheServersMessage() {
        assertThatThrownBy(() -> chat().maxTokens(100_000).build().chat("Hello there"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("This model's maximum context length is 4096 tokens");
        assertThatThrownBy(() -> stream(streaming().maxTokens(100_000).build()))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("This model's maximum context length is 4096 tokens");
    }

    @Test
    void aFullServerIsTheClientsRateLimitExceptionWithTheServersMessage() throws InterruptedException {
        // The client retries 429 by default; with retries off the refusal reaches the caller.
        OpenAiChatModel model = chat().maxTokens(4).maxRetries(0).build();

        try (FullAdmission full = FullAdmission.take(port, controls, context)) {
            assertThatThrownBy(() -> model.chat("Hello there")).isInstanceOf(RateLimitException.class)
                    .hasMessageContaining("The server is busy");
        }
    }
}
