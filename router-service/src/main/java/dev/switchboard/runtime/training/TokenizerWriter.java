package dev.switchboard.runtime.training;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a learned {@link BpeTrainer.Vocabulary} as {@code tokenizer.json} and {@code tokenizer_config.json} in the
 * Llama/Mistral layout (byte-fallback BPE, {@code ▁} for spaces, BOS added by the caller), with the Mistral
 * instruct chat template the model was trained on.
 */
public final class TokenizerWriter {

    /** {@code <s>[INST] user [/INST]assistant</s>[INST] ...}; other roles are rendered like user turns. */
    public static final String CHAT_TEMPLATE = "{{ bos_token }}{% for message in messages %}"
            + "{% if message['role'] == 'assistant' %}{{ message['content'] + eos_token }}"
            + "{% else %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% endif %}{% endfor %}";

    private static final List<String> SPECIALS = List.of("<unk>", "<s>", "</s>");

    private TokenizerWriter() {}

    public static void write(BpeTrainer.Vocabulary vocabulary, Path directory) {
        JsonFile.write(directory.resolve("tokenizer.json"), tokenizerJson(vocabulary));
        JsonFile.write(directory.resolve("tokenizer_config.json"), tokenizerConfig());
    }

    private static JsonObject tokenizerJson(BpeTrainer.Vocabulary vocabulary) {
        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("truncation", null);
        root.add("padding", null);
        JsonArray added = new JsonArray();
        for (int id = 0; id < SPECIALS.size(); id++) {
            JsonObject token = new JsonObject();
            token.addProperty("id", id);
            token.addProperty("content", SPECIALS.get(id));
            token.addProperty("single_word", false);
            token.addProperty("lstrip", false);
            token.addProperty("rstrip", false);
            token.addProperty("normalized", false);
            token.addProperty("special", true);
            added.add(token);
        }
        root.add("added_tokens", added);
        root.add("normalizer", sequence("normalizers",
                step("Prepend", "prepend", BpeTrainer.SPACE),
                replace(" ", BpeTrainer.SPACE)));
        root.add("pre_tokenizer", null);
        root.add("post_processor", null);
        JsonObject strip = step("Strip", "content", " ");
        strip.addProperty("start", 1);
        strip.addProperty("stop", 0);
        root.add("decoder", sequence("decoders",
                replace(BpeTrainer.SPACE, " "), step("ByteFallback", null, null), step("Fuse", null, null), strip));
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("dropout", null);
        model.addProperty("unk_token", "<unk>");
        model.add("continuing_subword_prefix", null);
        model.add("end_of_word_suffix", null);
        model.addProperty("fuse_unk", true);
        model.addProperty("byte_fallback", true);
        model.addProperty("ignore_merges", false);
        JsonObject vocab = new JsonObject();
        for (int id = 0; id < vocabulary.pieces().size(); id++) {
            vocab.addProperty(vocabulary.pieces().get(id), id);
        }
        model.add("vocab", vocab);
        JsonArray merges = new JsonArray();
        for (String[] merge : vocabulary.merges()) {
            JsonArray pair = new JsonArray();
            pair.add(merge[0]);
            pair.add(merge[1]);
            merges.add(pair);
        }
        model.add("merges", merges);
        root.add("model", model);
        return root;
    }

    private static JsonObject tokenizerConfig() {
        JsonObject config = new JsonObject();
        config.addProperty("add_bos_token", true);
        config.addProperty("add_eos_token", false);
        config.addProperty("bos_token", "<s>");
        config.addProperty("eos_token", "</s>");
        config.addProperty("unk_token", "<unk>");
        config.add("pad_token", null);
        config.addProperty("legacy", false);
        config.addProperty("clean_up_tokenization_spaces", false);
        config.addProperty("tokenizer_class", "LlamaTokenizer");
        config.addProperty("chat_template", CHAT_TEMPLATE);
        return config;
    }

    private static JsonObject sequence(String field, JsonObject... steps) {
        JsonObject sequence = new JsonObject();
        sequence.addProperty("type", "Sequence");
        JsonArray array = new JsonArray();
        for (JsonObject step : steps) {
            array.add(step);
        }
        sequence.add(field, array);
        return sequence;
    }

    private static JsonObject step(String type, String field, String value) {
        JsonObject step = new JsonObject();
        step.addProperty("type", type);
        if (field != null) {
            step.addProperty(field, value);
        }
        return step;
    }

    private static JsonObject replace(String pattern, String content) {
        JsonObject step = new JsonObject();
        step.addProperty("type", "Replace");
        JsonObject from = new JsonObject();
        from.addProperty("String", pattern);
        step.add("pattern", from);
        step.addProperty("content", content);
        return step;
    }
}
