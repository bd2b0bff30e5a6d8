package dev.switchboard.app.generation;

import dev.switchboard.app.generation.openai.RoutedExperts;
import org.jspecify.annotations.Nullable;

/**
 * The records of one request's answer, whole or streamed: {@link ChatResponseShape} for chat,
 * {@link TextResponseShape} for text completions. One instance per request, so every chunk of a stream carries
 * the same {@code id} and {@code created}. {@code routing} is null unless the request asked for it.
 */
interface ResponseShape {

    /** The whole non-streamed answer. */
    Object completion(String text, String finishReason, int promptTokens, int completionTokens, @Nullable RoutedExperts routing);

    /** The chunk that opens a stream before any text, or null when the endpoint has none. */
    @Nullable Object firstChunk();

    /** A chunk with new text and the routing of the tokens behind it. */
    Object textChunk(String text, @Nullable RoutedExperts routing);

    /** The terminal chunk: no new text, {@code finish_reason} set. */
    Object finishChunk(String finishReason, @Nullable RoutedExperts routing);

    /** The usage-only chunk of {@code stream_options.include_usage}: {@code choices: []}. */
    Object usageChunk(int promptTokens, int completionTokens);
}
