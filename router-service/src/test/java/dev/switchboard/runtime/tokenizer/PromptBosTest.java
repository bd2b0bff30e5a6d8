package dev.switchboard.runtime.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BOS before a plain-text prompt follows the model's Hugging Face tokenizer: {@code add_bos_token} of
 * {@code tokenizer_config.json} when it is set, else the family's tokenizer (Mixtral adds BOS, Qwen and OLMoE do not).
 */
class PromptBosTest {

    @TempDir
    Path tmp;

    @Test
    void addBosTokenDecidesWhenSet() throws Exception {
        Path qwen = copy("qwen2-moe-shared", json -> json.addProperty("add_bos_token", true));
        assertThat(encode(qwen, "hello")[0]).isEqualTo(1);
        Path mixtral = copy("tiny-gqa-top2", json -> json.addProperty("add_bos_token", false));
        assertThat(encode(mixtral, "hello")[0]).isNotEqualTo(1);
    }

    @Test
    void theFamilyDecidesWhenUnset() throws Exception {
        Path qwen = copy("qwen3-moe-headdim", json -> json.remove("add_bos_token"));
        int[] ids = encode(qwen, "hello");
        try (MoeTokenizer tokenizer = MoeTokenizer.load(qwen)) {
            assertThat(ids).containsExactly(tokenizer.encode("hello"));
        }
        Path mixtral = copy("tiny-gqa-top2", json -> json.remove("add_bos_token"));
        assertThat(encode(mixtral, "hello")[0]).isEqualTo(1);
    }

    private static int[] encode(Path model, String text) {
        MixtralConfig config = MixtralConfig.fromJson(model.resolve("config.json"));
        try (MoeTokenizer tokenizer = MoeTokenizer.load(model)) {
            return tokenizer.encodePrompt(text, config);
        }
    }

    /** The fixture's config and tokenizer files, its tokenizer_config.json edited. */
    private Path copy(String fixture, Consumer<JsonObject> edit) throws IOException, URISyntaxException {
        Path from = Path.of(PromptBosTest.class.getResource("/fixtures/" + fixture).toURI());
        Path to = Files.createDirectories(tmp.resolve(fixture));
        Files.copy(from.resolve("config.json"), to.resolve("config.json"));
        Files.copy(from.resolve("tokenizer.json"), to.resolve("tokenizer.json"));
        JsonObject config = JsonParser.parseString(Files.readString(from.resolve("tokenizer_config.json"))).getAsJsonObject();
        edit.accept(config);
        Files.writeString(to.resolve("tokenizer_config.json"), config.toString());
        return to;
    }
}
