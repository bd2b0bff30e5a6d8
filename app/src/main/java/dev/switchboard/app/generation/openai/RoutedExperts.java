package dev.switchboard.app.generation.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The Switchboard extension {@code "routing": true}, added to a choice: per generated token, per MoE layer, the
 * top-k experts (first choice first) and their routing weights. vLLM's {@code routed_experts} layout and name.
 *
 * @param experts [tokens][layers][k] expert ids
 * @param weights [tokens][layers][k] routing weights, in the same layout
 */
public record RoutedExperts(
        @JsonProperty("routed_experts")
        @Schema(description = "[tokens][layers][k] expert ids, first choice first; only with \"routing\": true")
        int[][][] experts,
        @JsonProperty("routed_weights")
        @Schema(description = "[tokens][layers][k] routing weights; only with \"routing\": true")
        float[][][] weights) {}
