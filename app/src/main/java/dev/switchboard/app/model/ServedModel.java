package dev.switchboard.app.model;

import dev.switchboard.runtime.serving.ExpertTableEditor;
import dev.switchboard.runtime.serving.ModelShape;
import dev.switchboard.runtime.serving.ServingEngine;
import org.jspecify.annotations.Nullable;

/**
 * A model ready to serve: its public id, shape, tokenizer, chat template and the runtime's batched engine.
 * Closing it frees the engine's native memory.
 *
 * @param id the id clients pass as {@code model}
 * @param createdEpochSeconds when it was loaded, for {@code /v1/models}
 * @param shape the shape at load time (experts added while serving are not counted here)
 * @param experts the runtime's editor of the live expert table, for the expert lifecycle; null for an engine
 *     without one
 */
public record ServedModel(
        String id, long createdEpochSeconds, ModelShape shape, ModelTokenizer tokenizer, ChatTemplate chatTemplate,
        ServingEngine engine, @Nullable ExpertTableEditor experts) implements AutoCloseable {

    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            if (experts != null) {
                experts.close();
            }
        }
    }
}
