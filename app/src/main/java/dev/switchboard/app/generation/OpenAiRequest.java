package dev.switchboard.app.generation;

import dev.switchboard.app.errors.ApiException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The parameters shared by {@code /v1/chat/completions} and {@code /v1/completions}, validated.
 * Harmless unknown fields ({@code store}, {@code service_tier}, ...) are ignored; fields that would change
 * the output in a way not implemented here are refused with 400 rather than silently ignored.
 *
 * @param maxTokens {@code max_completion_tokens}, else {@code max_tokens}; null for the endpoint's default
 * @param routing the Switchboard extension {@code "routing": true}: per-token {@code routed_experts}
 * @param domain {@code metadata.domain}, else the {@code user} field: the label routing statistics are grouped by
 * @param routingOverride the Switchboard extension {@code routing_override} ("what if"), checked against the model later
 */
record OpenAiRequest(
        String model,
        @Nullable Integer maxTokens,
        double temperature,
        double topP,
        @Nullable Long seed,
        List<String> stop,
        boolean stream,
        boolean includeUsage,
        boolean routing,
        @Nullable String domain,
        @Nullable RoutingOverrideRequest routingOverride) {

    static OpenAiRequest parse(RequestFields fields) {
        String model = fields.requiredString("model");
        Long maxCompletion = fields.optionalInteger("max_completion_tokens", 1, Integer.MAX_VALUE);
        Long maxTokens = maxCompletion != null ? maxCompletion : fields.optionalInteger("max_tokens", 1, Integer.MAX_VALUE);
        double temperature = fields.optionalNumber("temperature", 0, false, 2, 1.0);
        double topP = fields.optionalNumber("top_p", 0, true, 1, 1.0);
        Long seed = fields.optionalInteger("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        List<String> stop = fields.stopSequences();
        boolean stream = fields.optionalBoolean("stream", false);
        boolean includeUsage = streamOptions(fields, stream);
        boolean routing = fields.optionalBoolean("routing", false);
        RoutingOverrideRequest routingOverride = RoutingOverrideRequest.parse(fields.node(RoutingOverrideRequest.PARAM));
        String user = fields.optionalString("user");
        rejectUnsupported(fields);
        String domain = domain(fields);
        return new OpenAiRequest(model, maxTokens == null ? null : maxTokens.intValue(), temperature, topP, seed, stop,
                stream, includeUsage, routing, domain != null ? domain : user, routingOverride);
    }

    private static boolean streamOptions(RequestFields fields, boolean stream) {
        if (!fields.isSet("stream_options")) {
            return false;
        }
        JsonNode options = fields.node("stream_options");
        if (!stream) {
            throw ApiException.invalid("stream_options", "'stream_options' is only allowed when 'stream' is true");
        }
        if (!options.isObject()) {
            throw ApiException.invalid("stream_options", "'stream_options' must be an object");
        }
        JsonNode includeUsage = options.path("include_usage");
        if (includeUsage.isMissingNode() || includeUsage.isNull()) {
            return false;
        }
        if (!includeUsage.isBoolean()) {
            throw ApiException.invalid("stream_options.include_usage", "'stream_options.include_usage' must be a boolean");
        }
        return includeUsage.asBoolean();
    }

    private static @Nullable String domain(RequestFields fields) {
        if (!fields.isSet("metadata")) {
            return null;
        }
        JsonNode metadata = fields.node("metadata");
        if (!metadata.isObject()) {
            throw ApiException.invalid("metadata", "'metadata' must be an object of string values");
        }
        for (var entry : metadata.properties()) {
            if (!entry.getValue().isString()) {
                throw ApiException.invalid("metadata", "'metadata' values must be strings; '" + entry.getKey() + "' is not");
            }
        }
        JsonNode domain = metadata.path("domain");
        return domain.isString() ? domain.asString() : null;
    }

    /** Refuses what would change the output and is not implemented; accepts each field's no-op value. */
    private static void rejectUnsupported(RequestFields fields) {
        Long n = fields.optionalInteger("n", 1, 128);
        if (n != null && n != 1) {
            fields.rejectUnsupported("n", "only one choice per request (n = 1)");
        }
        Long bestOf = fields.optionalInteger("best_of", 1, 128);
        if (bestOf != null && bestOf != 1) {
            fields.rejectUnsupported("best_of", "only best_of = 1");
        }
        for (String penalty : List.of("presence_penalty", "frequency_penalty")) {
            if (fields.optionalNumber(penalty, -2, false, 2, 0) != 0) {
                fields.rejectUnsupported(penalty, "penalties are not implemented");
            }
        }
        for (String field : List.of("tools", "functions", "logit_bias", "tool_choice", "function_call", "top_logprobs")) {
            JsonNode node = fields.node(field);
            boolean empty = node.isMissingNode() || node.isNull() || ((node.isArray() || node.isObject()) && node.isEmpty())
                    || (node.isString() && node.asString().equals("none"));
            if (!empty) {
                fields.rejectUnsupported(field, "tool calls, logit bias and log probabilities are not implemented");
            }
        }
        JsonNode logprobs = fields.node("logprobs");
        if (!(logprobs.isMissingNode() || logprobs.isNull() || (logprobs.isBoolean() && !logprobs.asBoolean())
                || (logprobs.isIntegralNumber() && logprobs.asLong() == 0))) {
            fields.rejectUnsupported("logprobs", "log probabilities are not implemented");
        }
        JsonNode format = fields.node("response_format");
        if (!(format.isMissingNode() || format.isNull() || "text".equals(format.path("type").asString(null)))) {
            fields.rejectUnsupported("response_format", "only {\"type\": \"text\"}");
        }
        if (fields.optionalBoolean("echo", false)) {
            fields.rejectUnsupported("echo", "the prompt is not echoed");
        }
        String suffix = fields.optionalString("suffix");
        if (suffix != null && !suffix.isEmpty()) {
            fields.rejectUnsupported("suffix", "insertion is not implemented");
        }
    }
}
