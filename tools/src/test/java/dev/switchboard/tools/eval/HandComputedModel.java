package dev.switchboard.tools.eval;

import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.checkpoint.MixtralConfigWriter;
import dev.switchboard.runtime.checkpoint.MixtralTensorLayout;
import dev.switchboard.runtime.checkpoint.SafetensorsWriter;
import dev.switchboard.runtime.checkpoint.TensorDtype;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real Mixtral checkpoint, tokenizer and recipe small enough that eval's answers can be worked out by hand.
 *
 * <p>Vocabulary {@code <unk> <s> </s> a b} (a word-level tokenizer), hidden size 4, one layer of 4 top-2 experts.
 * Attention and experts are all zero, so the hidden state stays the token's embedding; every embedding has mean
 * square 1, so the norms leave it unchanged (up to ε). The embeddings and the gate diag(4, 3, 2, 1) route
 * {@code <s>} → (1, 2), {@code a} → (0, 1), {@code b} → (2, 3). The LM head gives only {@code a} a logit:
 * ln 4 after {@code a}, ln 2 after {@code <s>}, 0 after {@code b}. So the next-token distribution is
 * p(a) = 1/2, others 1/8 after {@code a}; p(a) = 1/3, others 1/6 after {@code <s>}; uniform 1/5 after {@code b}.
 *
 * <p>The recipe holds out every document (share 1) and its window is 8, one less than each held-out stream
 * ({@code <s>}, 7 words, {@code </s>}), so every window is the whole stream: domain {@code mixed} is
 * "a b a a b b a" and domain {@code bees} "b b b b b b b".
 */
public final class HandComputedModel {

    static final double ROOT2 = Math.sqrt(2);
    static final int WINDOW = 8;

    private HandComputedModel() {}

    /** Writes the model into {@code directory}/model and the recipe and corpus beside it; returns the recipe. */
    public static Path write(Path directory) throws IOException {
        Path model = Files.createDirectories(directory.resolve("model"));
        MixtralConfig config = new MixtralConfig(MixtralConfig.MIXTRAL, 4, 4, 1, 1, 1, 4, 4, 2, 1e-6, 10000, 64, 5,
                false, 1, 2, true, "topk", 1.25, "swiglu");
        SafetensorsWriter weights = new SafetensorsWriter(TensorDtype.F32);
        double x = Math.log(4) / (2 * ROOT2);
        Map<String, float[]> values = Map.of(
                MixtralTensorLayout.EMBED_TOKENS, floats(
                        1, 1, 1, 1,                 // <unk>, never seen
                        0, ROOT2, ROOT2, 0,         // <s>
                        ROOT2, 0, 0, ROOT2,         // </s>, never an input
                        ROOT2, ROOT2, 0, 0,         // a
                        0, 0, ROOT2, ROOT2),        // b
                MixtralTensorLayout.gate(0), floats(4, 0, 0, 0, 0, 3, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1),
                MixtralTensorLayout.LM_HEAD, floats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, x, x, 0, 0, 0, 0, 0, 0));
        for (MixtralTensorLayout.Expected tensor : MixtralTensorLayout.expected(config).values()) {
            float[] value = values.get(tensor.name());
            if (value == null) {
                long count = 1;
                for (long dim : tensor.shape()) count *= dim;
                value = new float[Math.toIntExact(count)];
                if (tensor.name().endsWith("layernorm.weight") || tensor.name().equals(MixtralTensorLayout.FINAL_NORM)) {
                    java.util.Arrays.fill(value, 1f);
                }
            }
            weights.add(tensor.name(), tensor.shape(), value);
        }
        weights.write(model.resolve("model.safetensors"));
        MixtralConfigWriter.write(config, "float32", model.resolve("config.json"));
        Files.writeString(model.resolve("tokenizer.json"), """
                {"version": "1.0", "truncation": null, "padding": null,
                 "added_tokens": [
                  {"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                  {"id": 1, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                  {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
                 "normalizer": null, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null, "decoder": null,
                 "model": {"type": "WordLevel", "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2, "a": 3, "b": 4}, "unk_token": "<unk>"}}
                """);
        Files.writeString(directory.resolve("mixed.txt"), "a b a a b b a"); // 13 bytes, no newline
        Files.writeString(directory.resolve("bees.txt"), "b b b b b b b");
        Path recipe = directory.resolve("recipe.json");
        Files.writeString(recipe, """
                {"name": "hand-computed",
                 "model": {"vocab_size": 5, "hidden_size": 4, "intermediate_size": 4, "num_hidden_layers": 1,
                           "num_attention_heads": 1, "num_key_value_heads": 1, "num_local_experts": 4,
                           "num_experts_per_tok": 2, "rope_theta": 10000.0, "max_position_embeddings": 64},
                 "training": {"steps": 1, "batch_size": 1, "window": %d, "learning_rate": 0.001, "warmup_steps": 0,
                              "weight_decay": 0, "balance_loss_weight": 0, "router_z_loss_weight": 0,
                              "held_out_share": 1.0, "seed": 7},
                 "domains": [
                  {"name": "mixed", "kind": "text", "weight": 0.5, "sources": ["mixed.txt"]},
                  {"name": "bees", "kind": "text", "weight": 0.5, "sources": ["bees.txt"]}]}
                """.formatted(WINDOW));
        return recipe;
    }

    private static float[] floats(double... values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (float) values[i];
        return out;
    }
}
