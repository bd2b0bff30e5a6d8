package dev.switchboard.app.model;

import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.model.MoeModel;

/**
 * What the expert lifecycle needs of the served model: the runtime model (its live expert table) and the
 * checkpoint it was loaded from, kept open so that an expert can be rebuilt from its original weights with
 * another kind. An open checkpoint costs file handles and a memory map, not heap or native tensors: pages
 * are read only while an expert is rebuilt. Closing this closes the checkpoint, not the model.
 *
 * @param model the runtime model; owned by the serving engine
 * @param checkpoint the checkpoint, owned here
 * @param defaultKind the expert kind the model was loaded with (config's {@code switchboard_expert_kind})
 */
public record ServedExperts(MoeModel model, Checkpoint checkpoint, String defaultKind) implements AutoCloseable {

    /** How many experts per layer the checkpoint holds; experts beyond these were added while serving. */
    public int checkpointExperts() {
        return model.config().numLocalExperts();
    }

    @Override
    public void close() {
        checkpoint.close();
    }
}
