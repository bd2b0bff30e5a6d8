package dev.switchboard.runtime.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code model.safetensors.index.json}: {@code {"weight_map": {tensor name: shard file name}}}, the way
 * Hugging Face splits a checkpoint over several files.
 */
final class ShardIndex {

    static final String FILE_NAME = "model.safetensors.index.json";

    private final Path file;
    private final Map<String, String> weightMap;

    private ShardIndex(Path file, Map<String, String> weightMap) {
        this.file = file;
        this.weightMap = Collections.unmodifiableMap(weightMap);
    }

    Path file() {
        return file;
    }

    /** Tensor name to shard file name, in index order. */
    Map<String, String> weightMap() {
        return weightMap;
    }

    static ShardIndex read(Path file) {
        JsonElement root;
        try {
            root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read shard index: " + e, e);
        } catch (JsonParseException e) {
            throw new CheckpointException(file + ": malformed JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject() || !root.getAsJsonObject().has("weight_map")
                || !root.getAsJsonObject().get("weight_map").isJsonObject()) {
            throw new CheckpointException(file + ": expected an object with a \"weight_map\" object, found "
                    + (root.isJsonObject() ? "keys " + root.getAsJsonObject().keySet() : root));
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : root.getAsJsonObject().getAsJsonObject("weight_map").entrySet()) {
            JsonElement shard = entry.getValue();
            if (!shard.isJsonPrimitive() || !shard.getAsJsonPrimitive().isString() || !isPlainFileName(shard.getAsString())) {
                throw new CheckpointException(file + ": tensor '" + entry.getKey()
                        + "': expected a shard file name in the same directory, found " + shard);
            }
            weightMap.put(entry.getKey(), shard.getAsString());
        }
        return new ShardIndex(file, weightMap);
    }

    /** Shards must sit next to the index: no directories, no parent references. */
    private static boolean isPlainFileName(String name) {
        return !name.isEmpty() && !name.contains("/") && !name.contains("\\") && !name.equals("..") && !name.equals(".");
    }
}
