package dev.switchboard.runtime.training;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the JSON files of a model folder: pretty-printed, nulls kept (tokenizer.json needs them), no HTML escaping. */
final class JsonFile {

    private JsonFile() {}

    static void write(Path file, JsonObject json) {
        try {
            Files.writeString(file, new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
                    .create().toJson(json) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write", e);
        }
    }
}
