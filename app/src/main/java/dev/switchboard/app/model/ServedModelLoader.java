package dev.switchboard.app.model;

import java.nio.file.Path;

/** Loads a model directory (Hugging Face Mixtral layout) into a {@link ServedModel}. Slow; never on an event loop. */
public interface ServedModelLoader {

    ServedModel load(Path directory, String id);
}
