package dev.switchboard.tools.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * An experiment's result as a JSON file: its typed records ({@link TrainingExperiment}, {@link SpecialisationResult},
 * {@link AblationResult}) bound by Jackson, with snake_case names, pretty-printed so that a diff of a rerun reads.
 */
final class ResultFile {

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ResultFile() {}

    static void write(Path file, Object result) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, JSON.writeValueAsString(result) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the result", e);
        }
    }

    static <T> T read(Path file, Class<T> type) {
        try {
            return JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), type);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the result", e);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + ": not a " + type.getSimpleName() + " result: " + e.getOriginalMessage(), e);
        }
    }
}
