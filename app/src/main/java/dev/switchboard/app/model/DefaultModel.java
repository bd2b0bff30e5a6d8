package dev.switchboard.app.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * The small trained model shipped inside the application ({@code switchboard-mini}, trained by
 * {@code java -jar switchboard.jar train --recipe app/src/default-model/recipe.json}). It is served when
 * {@code switchboard.model} is not set. The checkpoint is memory-mapped, so its files are copied once into
 * {@code <data-dir>/models/switchboard-mini} and refreshed whenever the jar carries different ones.
 */
public final class DefaultModel {

    public static final String ID = "switchboard-mini";

    private static final String RESOURCE_FOLDER = "default-model/";
    private static final List<String> FILES = List.of("config.json", "model.safetensors", "tokenizer.json",
            "tokenizer_config.json", "generation_config.json", "training-report.json", "eval-report.json");

    private DefaultModel() {}

    /** Where the default model lives under {@code dataDir}. */
    public static Path directory(Path dataDir) {
        return dataDir.resolve("models").resolve(ID);
    }

    /**
     * Copies the model's files from the jar into {@code directory} unless identical copies are already there.
     *
     * @throws IllegalStateException when the jar carries no default model (a build without its resources)
     */
    public static Path install(Path directory) {
        try {
            Files.createDirectories(directory);
            for (String name : FILES) {
                byte[] shipped = resource(name);
                Path target = directory.resolve(name);
                if (Files.isRegularFile(target) && Files.size(target) == shipped.length
                        && Arrays.equals(Files.readAllBytes(target), shipped)) {
                    continue;
                }
                Path partial = directory.resolve(name + ".partial");
                Files.write(partial, shipped);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the default model into " + directory + ": " + e.getMessage(), e);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DefaultModel.class.getClassLoader().getResourceAsStream(RESOURCE_FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("this build carries no default model (" + RESOURCE_FOLDER + name
                        + " is missing from the class path); set switchboard.model to a model directory");
            }
            return in.readAllBytes();
        }
    }
}
