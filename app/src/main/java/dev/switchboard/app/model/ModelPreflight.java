package dev.switchboard.app.model;

import dev.switchboard.app.system.StartupConfigurationException;
import dev.switchboard.runtime.serving.ModelRuntime;
import java.nio.file.Path;

/**
 * Checks, while the application starts, that the configured model directory opens: {@code config.json}, and
 * every tensor's header, name, shape and byte range (validated without reading tensor data), and
 * {@code tokenizer.json} ({@link ModelRuntime#check}). A corrupt or truncated checkpoint then ends start-up with
 * one line naming the file and {@code switchboard.model}, as other bad configuration does, instead of leaving
 * a server that is live but never ready. The weights themselves still load in the background afterwards.
 */
final class ModelPreflight {

    static final String SETTING = "switchboard.model (env SWITCHBOARD_MODEL)";

    private ModelPreflight() {}

    /** @throws StartupConfigurationException naming what is wrong with the model directory */
    static void check(Path directory, String id) {
        try {
            ModelRuntime.check(directory);
        } catch (RuntimeException e) {
            throw new StartupConfigurationException("The model " + id + " in " + directory.toAbsolutePath().normalize()
                    + " cannot be loaded: " + e.getMessage(), SETTING, e);
        }
    }
}
