package dev.switchboard.tools.generate;

import dev.switchboard.runtime.generation.GenerationResult;
import dev.switchboard.runtime.routing.LayerChoice;
import dev.switchboard.runtime.routing.TokenTrace;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code --json} output: one object with {@code prompt_ids}, {@code generated_ids}, {@code text},
 * {@code tokens_per_second}, {@code finish_reason}; {@code --trace} adds {@code routing} (one entry per
 * prompt and generated token, per layer {@code experts} and {@code weights}); {@code --logits} adds
 * {@code last_logits} (the full vocabulary at the last prompt position).
 */
final class GenerateJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private GenerateJson() {}

    static String render(GenerationResult result, MoeTokenizer tokenizer, GenerateArguments args) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("prompt_ids", result.promptIds());
        json.put("generated_ids", result.generatedIds());
        json.put("text", result.text());
        json.put("finish_reason", result.finishReason().name().toLowerCase());
        json.put("tokens_per_second", result.decodeTokensPerSecond());
        if (args.trace()) {
            json.put("routing", routing(result, tokenizer));
        }
        if (args.logits()) {
            json.put("last_logits", result.lastPromptLogits());
        }
        return JSON.writeValueAsString(json);
    }

    private static List<Map<String, Object>> routing(GenerationResult result, MoeTokenizer tokenizer) {
        List<Map<String, Object>> tokens = new ArrayList<>();
        int promptLength = result.promptIds().length;
        for (TokenTrace trace : result.routing()) {
            Map<String, Object> token = new LinkedHashMap<>();
            token.put("position", trace.position());
            token.put("token_id", trace.tokenId());
            token.put("token", tokenizer.tokenText(trace.tokenId()));
            token.put("source", trace.position() < promptLength ? "prompt" : "generated");
            List<Map<String, Object>> layers = new ArrayList<>();
            for (LayerChoice choice : trace.layers()) {
                layers.add(Map.of("layer", choice.layer(), "experts", choice.experts(), "weights", choice.weights()));
            }
            token.put("layers", layers);
            tokens.add(token);
        }
        return tokens;
    }
}
