package dev.switchboard.app.generation;

import dev.switchboard.app.generation.openai.ChatCompletion;
import dev.switchboard.app.generation.openai.ChatCompletionChunk;
import dev.switchboard.app.generation.openai.ResponseHeader;
import dev.switchboard.app.generation.openai.RoutedExperts;
import dev.switchboard.app.generation.openai.Usage;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Chat's answer and chunks. A stream opens with {@code delta: {"role": "assistant", "content": ""}}, then carries
 * {@code delta.content} only, and ends with an empty delta and the {@code finish_reason}.
 *
 * @param usageField give every chunk {@code "usage": null} (the stream ends with a usage chunk)
 */
record ChatResponseShape(String id, long created, String model, boolean usageField) implements ResponseShape {

    @Override
    public ChatCompletion completion(String text, String finishReason, int promptTokens, int completionTokens,
            @Nullable RoutedExperts routing) {
        ChatCompletion.Choice choice = new ChatCompletion.Choice(0, new ChatCompletion.Message("assistant", text), null,
                finishReason, routing);
        return new ChatCompletion(ResponseHeader.of(id, ChatCompletion.OBJECT, created, model), List.of(choice),
                Usage.of(promptTokens, completionTokens));
    }

    @Override
    public ChatCompletionChunk firstChunk() {
        return chunk(new ChatCompletionChunk.Delta("assistant", ""), null, null);
    }

    @Override
    public ChatCompletionChunk textChunk(String text, @Nullable RoutedExperts routing) {
        return chunk(new ChatCompletionChunk.Delta(null, text), null, routing);
    }

    @Override
    public ChatCompletionChunk finishChunk(String finishReason, @Nullable RoutedExperts routing) {
        return chunk(new ChatCompletionChunk.Delta(null, null), finishReason, routing);
    }

    @Override
    public ChatCompletionChunk usageChunk(int promptTokens, int completionTokens) {
        return new ChatCompletionChunk(ResponseHeader.of(id, ChatCompletionChunk.OBJECT, created, model), List.of(),
                Optional.of(Usage.of(promptTokens, completionTokens)));
    }

    private ChatCompletionChunk chunk(ChatCompletionChunk.Delta delta, @Nullable String finishReason,
            @Nullable RoutedExperts routing) {
        ChatCompletionChunk.Choice choice = new ChatCompletionChunk.Choice(0, delta, null, finishReason, routing);
        return new ChatCompletionChunk(ResponseHeader.of(id, ChatCompletionChunk.OBJECT, created, model), List.of(choice),
                usageField ? Optional.empty() : null);
    }
}
