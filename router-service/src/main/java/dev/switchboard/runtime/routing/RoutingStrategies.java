package dev.switchboard.runtime.routing;

import java.util.Locale;

/** Builds the routing strategy a model's config asks for ({@code switchboard_routing}). */
public final class RoutingStrategies {

    /** Token-choice top-k, Hugging Face Mixtral semantics ({@link TopKRouting}). */
    public static final String TOPK = "topk";
    /** Switch Transformer top-1 with capacity ({@link SwitchRouting}); ignores topK. */
    public static final String SWITCH = "switch";
    /** Expert-choice, prefill only ({@link ExpertChoiceRouting}); ignores topK and normTopkProb. */
    public static final String EXPERT_CHOICE = "expert-choice";

    private RoutingStrategies() {}

    /**
     * @param routing {@value #TOPK}, {@value #SWITCH} or {@value #EXPERT_CHOICE} (case-insensitive)
     * @param topK experts per token, used by {@code topk}
     * @param normTopkProb renormalise the top-k weights, used by {@code topk}
     * @param capacityFactor used by {@code switch} and {@code expert-choice}
     */
    public static RoutingStrategy forConfig(String routing, int topK, boolean normTopkProb, double capacityFactor) {
        if (routing == null) {
            throw new IllegalArgumentException("routing must be one of " + TOPK + ", " + SWITCH + ", "
                    + EXPERT_CHOICE + ", found null");
        }
        return switch (routing.trim().toLowerCase(Locale.ROOT)) {
            case TOPK -> new TopKRouting(topK, normTopkProb);
            case SWITCH -> new SwitchRouting(capacityFactor);
            case EXPERT_CHOICE -> new ExpertChoiceRouting(capacityFactor);
            default -> throw new IllegalArgumentException("routing must be one of " + TOPK + ", " + SWITCH + ", "
                    + EXPERT_CHOICE + ", found '" + routing + "'");
        };
    }
}
