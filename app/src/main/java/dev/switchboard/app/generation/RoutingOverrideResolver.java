package dev.switchboard.app.generation;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.generation.openai.RoutingOverrideRequest;
import dev.switchboard.app.generation.openai.RoutingOverrideRequest.LayerOverride;
import dev.switchboard.app.model.ServedModel;
import dev.switchboard.runtime.routing.RoutingOverride;
import dev.switchboard.runtime.serving.LayerView;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * Checks a {@link RoutingOverrideRequest} against who asks and the served model's live expert table, and turns
 * it into the runtime's {@link RoutingOverride}: admin token only (403 otherwise), a top-k model, k within
 * 1..experts, expert and layer indices that exist, finite biases, and at least one expert left in every layer
 * after the override's mask and the operator's. Every refusal is a 4xx naming the part of the field.
 */
final class RoutingOverrideResolver {

    private RoutingOverrideResolver() {}

    /** Null when the request has no override. */
    static @Nullable RoutingOverride resolve(@Nullable RoutingOverrideRequest request, boolean admin, ServedModel model) {
        if (request == null) {
            return null;
        }
        if (!admin) {
            throw new ApiException(HttpStatus.FORBIDDEN, "permission_error", RoutingOverrideRequest.PARAM,
                    "insufficient_permissions", "'" + RoutingOverrideRequest.PARAM + "' changes how the model routes and "
                    + "needs the admin token (Authorization: Bearer <admin token>); send the request without it, or as the operator",
                    null);
        }
        if (model.experts() == null || !model.experts().supportsRoutingOverride()) {
            throw ApiException.invalid(RoutingOverrideRequest.PARAM, "The model '" + model.id() + "' does not route with "
                    + "token-choice top-k, so its routing cannot be overridden per request; send the request without '"
                    + RoutingOverrideRequest.PARAM + "'");
        }
        List<LayerView> table = model.experts().table(); // read once: one consistent view of the layers
        int layers = table.size();
        int fewest = Integer.MAX_VALUE;
        for (LayerView layer : table) {
            fewest = Math.min(fewest, layer.size());
        }
        int k = 0;
        if (request.expertsPerToken() != null) {
            k = request.expertsPerToken();
            if (k < 1 || k > fewest) {
                throw ApiException.invalid(RoutingOverrideRequest.PARAM + ".experts_per_token", "'"
                        + RoutingOverrideRequest.PARAM + ".experts_per_token' must be between 1 and " + fewest
                        + " (the experts per layer), found " + k);
            }
        }
        boolean[][] masked = new boolean[layers][];
        float[][] bias = new float[layers][];
        for (int l = 0; l < layers; l++) {
            masked[l] = new boolean[table.get(l).size()];
            bias[l] = new float[table.get(l).size()];
            mask(request.maskedExperts(), masked[l], fewest, RoutingOverrideRequest.PARAM + ".masked_experts");
            addBias(request.logitBias(), bias[l], fewest, RoutingOverrideRequest.PARAM + ".logit_bias");
        }
        List<LayerOverride> perLayer = request.layers() == null ? List.of() : request.layers();
        boolean[] seen = new boolean[layers];
        for (int i = 0; i < perLayer.size(); i++) {
            String param = RoutingOverrideRequest.PARAM + ".layers[" + i + "]";
            LayerOverride entry = perLayer.get(i);
            if (entry == null || entry.layer() == null || entry.layer() < 0 || entry.layer() >= layers) {
                throw ApiException.invalid(param + ".layer", "'" + param + ".layer' must be a layer index from 0 to "
                        + (layers - 1) + ", found " + (entry == null ? null : entry.layer()));
            }
            int l = entry.layer();
            if (seen[l]) {
                throw ApiException.invalid(param + ".layer", "Layer " + l + " appears twice in '"
                        + RoutingOverrideRequest.PARAM + ".layers'; put all of its mask and bias in one entry");
            }
            seen[l] = true;
            mask(entry.maskedExperts(), masked[l], masked[l].length, param + ".masked_experts");
            addBias(entry.logitBias(), bias[l], bias[l].length, param + ".logit_bias");
        }
        for (int l = 0; l < layers; l++) {
            requireAnExpertLeft(l, table.get(l), masked[l]);
        }
        return new RoutingOverride(k, masked, bias);
    }

    private static void mask(@Nullable List<Integer> experts, boolean[] masked, int limit, String param) {
        if (experts == null) {
            return;
        }
        for (int i = 0; i < experts.size(); i++) {
            Integer expert = experts.get(i);
            if (expert == null || expert < 0 || expert >= limit) {
                throw ApiException.invalid(param, "'" + param + "' lists expert " + expert + ", which does not exist: "
                        + "experts are numbered 0 to " + (limit - 1));
            }
            masked[expert] = true;
        }
    }

    private static void addBias(@Nullable List<Double> values, float[] bias, int experts, String param) {
        if (values == null) {
            return;
        }
        if (values.size() > experts) {
            throw ApiException.invalid(param, "'" + param + "' has " + values.size() + " values but there are only "
                    + experts + " experts; give one number per expert, expert 0 first");
        }
        for (int e = 0; e < values.size(); e++) {
            Double value = values.get(e);
            float asFloat = value == null ? Float.NaN : value.floatValue();
            if (!Float.isFinite(asFloat)) {
                throw ApiException.invalid(param, "'" + param + "' value " + e + " must be a finite number, found " + value);
            }
            bias[e] += asFloat;
        }
    }

    private static void requireAnExpertLeft(int l, LayerView layer, boolean[] masked) {
        List<Integer> disabled = new ArrayList<>();
        for (int e = 0; e < layer.size(); e++) {
            if (!masked[e] && !layer.isDisabled(e)) {
                return;
            }
            if (layer.isDisabled(e)) {
                disabled.add(e);
            }
        }
        throw ApiException.invalid(RoutingOverrideRequest.PARAM + ".masked_experts", "'" + RoutingOverrideRequest.PARAM
                + "' leaves no expert to route to in layer " + l + (disabled.isEmpty() ? "" : " (the operator disabled experts "
                + disabled + ")") + "; leave at least one expert of every layer unmasked");
    }
}
