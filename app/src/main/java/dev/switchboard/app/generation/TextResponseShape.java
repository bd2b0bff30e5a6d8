package dev.switchboard.app.generation;

import dev.switchboard.app.generation.openai.ResponseHeader;
import dev.switchboard.app.generation.openai.RoutedExperts;
import dev.switchboard.app.generation.openai.TextCompletion;
import dev.switchboard.app.generation.openai.Usage;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Text completion's answer and chunks: the same object for both, a stream's chunks carrying the new text and the
 * terminal one empty text and the {@code finish_reason}.
 *
 * @param usageField give every chunk {@code "usage": null} (the stream ends with a usage chunk)
 */
record TextResponseShape(String id, long created, String model, boolean usageField) implements ResponseShape {

    @Override
    public TextCompletion completion(String text, String finishReason, int promptTokens, int completionTokens,
            @Nullable RoutedExperts routing) {
        return completion(new TextCompletion.Choice(0, text, null, finishReason, routing),
                Optional.of(Usage.of(promptTokens, completionTokens)));
    }

    @Override
    public @Nullable Object firstChunk() {
        return null;
    }

    @Override
    public TextCompletion textChunk(String text, @Nullable RoutedExperts routing) {
        return chunk(text, null, routing);
    }

    @Override
    public TextCompletion finishChunk(String finishReason, @Nullable RoutedExperts routing) {
        return chunk("", finishReason, routing);
    }

    @Override
    public TextCompletion usageChunk(int promptTokens, int completionTokens) {
        return new TextCompletion(ResponseHeader.of(id, TextCompletion.OBJECT, created, model), List.of(),
                Optional.of(Usage.of(promptTokens, completionTokens)));
    }

    private TextCompletion chunk(String text, @Nullable String finishReason, @Nullable RoutedExperts routing) {
        return completion(new TextCompletion.Choice(0, text, null, finishReason, routing), usageField ? Optional.empty() : null);
    }

    private TextCompletion completion(TextCompletion.Choice choice, @Nullable Optional<Usage> usage) {
        return new TextCompletion(ResponseHeader.of(id, TextCompletion.OBJECT, created, model), List.of(choice), usage);
    }
}
