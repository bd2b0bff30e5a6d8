package dev.switchboard.app.experts;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@code GET /api/admin/experts} shows: every MoE layer's experts of the served model.
 *
 * @param model the served model's id
 * @param expertsPerToken top-k
 * @param layers one entry per decoder layer
 * @param configurationVersion the version of the shared expert configuration this table matches (0: as loaded);
 *     which replicas run it: {@code GET /api/admin/experts/configuration}
 */
public record ExpertTableView(String model, int expertsPerToken, List<Layer> layers, long configurationVersion) {

    public ExpertTableView {
        layers = List.copyOf(layers);
    }

    /**
     * One layer.
     *
     * @param layer index
     * @param numExperts router rows = experts (grows and shrinks as contributed experts come and go)
     * @param experts one per router row, in index order
     * @param dense a dense layer (Qwen's {@code mlp_only_layers} / {@code decoder_sparse_step}): its one "expert" is the
     *     layer's MLP, which every token runs with weight 1; the lifecycle cannot change it (docs/MODELS.md)
     * @param sharedExpert the layer's always-on shared expert (Qwen2-MoE), not routed and not counted in
     *     {@code numExperts}; null when the layer has none
     */
    public record Layer(int layer, int numExperts, List<Expert> experts, boolean dense,
            @Nullable SharedExpert sharedExpert) {

        public Layer {
            experts = List.copyOf(experts);
        }
    }

    /**
     * A shared expert: it runs on every token of its layer, weighted by its own sigmoid gate, beside the routed
     * experts. It is part of the model's weights: it cannot be disabled, replaced or removed.
     *
     * @param kind the expert kind that built it
     * @param plugin {@code id@version} of the plugin whose code runs it
     * @param parameters its parameter count
     * @param memoryBytes native memory its weights take
     */
    public record SharedExpert(String kind, @Nullable String plugin, long parameters, long memoryBytes) {}

    /**
     * One expert.
     *
     * @param index its router row
     * @param kind the expert kind that built it, e.g. {@code swiglu}
     * @param plugin {@code id@version} of the plugin whose code runs it
     * @param origin {@code checkpoint}, or {@code <plugin id>/<name>} for a contributed expert
     * @param parameters its parameter count
     * @param memoryBytes native memory its weights take
     * @param state {@code enabled}, {@code disabled} or {@code failed}
     * @param selectionBias added to its router score for selection only
     * @param reason why it failed; null otherwise
     */
    public record Expert(int index, String kind, @Nullable String plugin, String origin, long parameters,
            long memoryBytes, String state, float selectionBias, @Nullable String reason) {}
}
