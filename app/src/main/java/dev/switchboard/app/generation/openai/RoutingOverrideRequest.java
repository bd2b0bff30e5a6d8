package dev.switchboard.app.generation.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.app.errors.ApiException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Switchboard extension {@code routing_override} ("what if", docs/API.md#routing-override) as the client
 * sent it: another k, experts masked and a bias on the router logits, for every layer and per layer. Bound
 * strictly (unknown fields, strings for numbers and fractions for integers are refused with 400 naming the
 * part), then checked against the served model's live expert table by {@code RoutingOverrideResolver}. The request
 * records bind their {@code routing_override} field with {@link Binding} (once, while the body is bound), which
 * binds it here, strictly, because the request binder ignores unknown fields and a what-if typo must not silently
 * route as the model does.
 *
 * @param expertsPerToken k for this request's tokens; null keeps the model's
 * @param maskedExperts experts masked in every layer
 * @param logitBias one bias per expert (expert 0 first) added to the router logits in every layer
 * @param layers per-layer additions to the two above
 */
@Schema(name = "RoutingOverride", description = "Switchboard extension, admin token only: route this request's tokens "
        + "with another k, experts masked and a bias on the router logits (\"what if\"); the request is left out of "
        + "the routing statistics")
public record RoutingOverrideRequest(
        @JsonProperty("experts_per_token")
        @Schema(description = "k for this request's tokens, from 1 to the fewest experts of a layer; the model's k when not set")
        @Nullable Integer expertsPerToken,
        @JsonProperty("masked_experts")
        @Schema(description = "Experts this request may not use, in every layer")
        @Nullable List<Integer> maskedExperts,
        @JsonProperty("logit_bias")
        @Schema(description = "One bias per expert, expert 0 first, added to the router logits in every layer")
        @Nullable List<Double> logitBias,
        @JsonProperty("layers")
        @Schema(description = "Per-layer additions to masked_experts and logit_bias, at most one entry per layer")
        @Nullable List<LayerOverride> layers) {

    public static final String PARAM = "routing_override";

    /** One layer's additions: its mask is added to the every-layer mask, its bias to the every-layer bias. */
    @Schema(name = "RoutingOverrideLayer")
    public record LayerOverride(
            @JsonProperty("layer") @Schema(description = "The layer index, from 0", requiredMode = Schema.RequiredMode.REQUIRED)
            @Nullable Integer layer,
            @JsonProperty("masked_experts") @Schema(description = "Experts masked in this layer, added to the every-layer ones")
            @Nullable List<Integer> maskedExperts,
            @JsonProperty("logit_bias") @Schema(description = "Biases added in this layer, on top of the every-layer ones")
            @Nullable List<Double> logitBias) {}

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    /** What each field must be, for the 400 that names it. */
    private static final Map<String, String> EXPECTED = Map.of(
            "experts_per_token", "an integer",
            "layer", "an integer (a layer index)",
            "masked_experts", "a list of expert indices (integers)",
            "logit_bias", "a list of numbers, one per expert, expert 0 first",
            "layers", "a list of objects {\"layer\", \"masked_experts\", \"logit_bias\"}");

    /** Binds a request record's {@code routing_override} field with {@link #parse}; JSON null stays null. */
    public static final class Binding extends ValueDeserializer<RoutingOverrideRequest> {

        @Override
        public RoutingOverrideRequest deserialize(JsonParser parser, DeserializationContext context) {
            return parse(context.readTree(parser));
        }
    }

    /** The field of {@code body}, or null when it is absent or JSON null; 400 when it does not bind. */
    public static @Nullable RoutingOverrideRequest parse(@Nullable JsonNode field) {
        if (field == null || field.isMissingNode() || field.isNull()) {
            return null;
        }
        if (!field.isObject()) {
            throw ApiException.invalid(PARAM, "'" + PARAM + "' must be an object with any of experts_per_token, "
                    + "masked_experts, logit_bias and layers");
        }
        try {
            return STRICT.treeToValue(field, RoutingOverrideRequest.class);
        } catch (UnrecognizedPropertyException unknown) {
            throw ApiException.invalid(param(unknown), "'" + param(unknown) + "' is not a field of '" + PARAM + "': use "
                    + "experts_per_token, masked_experts, logit_bias and layers (each with layer, masked_experts, logit_bias)");
        } catch (DatabindException wrongType) {
            String param = param(wrongType);
            String last = lastField(wrongType);
            throw ApiException.invalid(param, "'" + param + "' must be " + EXPECTED.getOrDefault(last, "as documented"));
        }
    }

    /** {@code routing_override.layers[0].masked_experts[1]} for the exception's path. */
    private static String param(DatabindException e) {
        StringBuilder param = new StringBuilder(PARAM);
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                param.append('.').append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                param.append('[').append(reference.getIndex()).append(']');
            }
        }
        return param.toString();
    }

    private static String lastField(DatabindException e) {
        String last = "";
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                last = reference.getPropertyName();
            }
        }
        return last;
    }
}
