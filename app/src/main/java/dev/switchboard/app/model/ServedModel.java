package dev.switchboard.app.model;

/**
 * A model ready to serve: its public id, shape, tokenizer, chat template and the batched engine.
 * Closing it frees the engine's native memory.
 *
 * @param id the id clients pass as {@code model}
 * @param createdEpochSeconds when it was loaded, for {@code /v1/models}
 */
public record ServedModel(
        String id, long createdEpochSeconds, ModelShape shape, ModelTokenizer tokenizer, ChatTemplate chatTemplate,
        BatchModel engine) implements AutoCloseable {

    @Override
    public void close() {
        engine.close();
    }
}
