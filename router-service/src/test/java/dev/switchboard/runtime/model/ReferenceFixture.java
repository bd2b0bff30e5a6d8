package dev.switchboard.runtime.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A committed reference checkpoint and what the independent numpy reference (ref_mixtral.py, HF Mixtral
 * semantics) computed for it: full logits at the last prompt position and 16 greedy tokens.
 */
record ReferenceFixture(String name, Path dir, int[] promptIds, int[] generatedIds, int logitsPosition, float[] logits) {

    static final String TINY_F32 = "tiny-gqa-top2";
    static final String MHA_TOP1 = "mha-top1";
    static final String GQA6_TOP2 = "gqa6-top2";
    static final String TINY_SHARDED = "tiny-sharded";
    static final String TINY_BF16 = "tiny-bf16";
    static final String TINY_F16 = "tiny-f16";

    static ReferenceFixture named(String name) {
        Path dir = dir(name);
        int[] prompt = null;
        int[] generated = null;
        int position = -1;
        float[] logits = null;
        try {
            for (String line : Files.readAllLines(dir.resolve("expected.jsonl"))) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject event = JsonParser.parseString(line).getAsJsonObject();
                switch (event.get("event").getAsString()) {
                    case "logits" -> {
                        position = event.get("position").getAsInt();
                        logits = floats(event.getAsJsonArray("logits"));
                    }
                    case "generate" -> {
                        prompt = ints(event.getAsJsonArray("prompt_ids"));
                        generated = ints(event.getAsJsonArray("generated_ids"));
                    }
                    default -> { }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (prompt == null || logits == null) {
            throw new IllegalStateException(name + "/expected.jsonl lacks a logits or a generate line");
        }
        return new ReferenceFixture(name, dir, prompt, generated, position, logits);
    }

    Checkpoint open() {
        return Checkpoint.open(dir);
    }

    private static Path dir(String name) {
        URL url = ReferenceFixture.class.getResource("/fixtures/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test fixture " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int[] ints(JsonArray array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsInt();
        }
        return out;
    }

    private static float[] floats(JsonArray array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsFloat();
        }
        return out;
    }
}
