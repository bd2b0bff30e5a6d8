package dev.switchboard.runtime.tokenizer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the tokenizer needs from the model directory besides the native tokenizer: the id-to-piece
 * table of {@code tokenizer.json} (for traces) and the chat template of {@code tokenizer_config.json}.
 */
final class TokenizerFiles {

    private TokenizerFiles() {}

    /** Pieces by id: the model vocabulary (BPE/WordPiece object or Unigram array) plus added tokens. */
    static String[] pieces(Path tokenizerJson) {
        JsonObject root = readObject(tokenizerJson);
        JsonObject model = root.has("model") && root.get("model").isJsonObject() ? root.getAsJsonObject("model") : null;
        if (model == null || !model.has("vocab")) {
            throw new IllegalArgumentException(tokenizerJson + ": expected a \"model\" object with a \"vocab\"");
        }
        java.util.Map<Integer, String> byId = new java.util.HashMap<>();
        JsonElement vocab = model.get("vocab");
        if (vocab.isJsonObject()) {
            for (Map.Entry<String, JsonElement> entry : vocab.getAsJsonObject().entrySet()) {
                byId.put(entry.getValue().getAsInt(), entry.getKey());
            }
        } else if (vocab.isJsonArray()) {
            for (int id = 0; id < vocab.getAsJsonArray().size(); id++) {
                byId.put(id, vocab.getAsJsonArray().get(id).getAsJsonArray().get(0).getAsString());
            }
        }
        if (root.has("added_tokens") && root.get("added_tokens").isJsonArray()) {
            for (JsonElement added : root.getAsJsonArray("added_tokens")) {
                JsonObject token = added.getAsJsonObject();
                byId.put(token.get("id").getAsInt(), token.get("content").getAsString());
            }
        }
        int size = byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        String[] pieces = new String[size];
        byId.forEach((id, piece) -> pieces[id] = piece);
        return pieces;
    }

    /** {@code chat_template} as a string, or the entry named "default" when it is a list of named templates. */
    static Optional<String> chatTemplate(Path tokenizerConfigJson) {
        if (!Files.isRegularFile(tokenizerConfigJson)) {
            return Optional.empty();
        }
        JsonElement template = readObject(tokenizerConfigJson).get("chat_template");
        if (template == null || template.isJsonNull()) {
            return Optional.empty();
        }
        if (template.isJsonPrimitive()) {
            return Optional.of(template.getAsString());
        }
        if (template.isJsonArray()) {
            for (JsonElement named : template.getAsJsonArray()) {
                if (named.isJsonObject() && "default".equals(named.getAsJsonObject().get("name").getAsString())) {
                    return Optional.of(named.getAsJsonObject().get("template").getAsString());
                }
            }
        }
        return Optional.empty();
    }

    /** {@code add_bos_token} of {@code tokenizer_config.json}: whether the tokenizer puts BOS before a text; empty when unset. */
    static Optional<Boolean> addBosToken(Path tokenizerConfigJson) {
        if (!Files.isRegularFile(tokenizerConfigJson)) {
            return Optional.empty();
        }
        JsonElement value = readObject(tokenizerConfigJson).get("add_bos_token");
        return value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()
                ? Optional.empty() : Optional.of(value.getAsBoolean());
    }

    private static JsonObject readObject(Path file) {
        try {
            JsonElement root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!root.isJsonObject()) {
                throw new IllegalArgumentException(file + ": expected a JSON object");
            }
            return root.getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e, e);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + ": malformed JSON: " + e.getMessage(), e);
        }
    }
}
