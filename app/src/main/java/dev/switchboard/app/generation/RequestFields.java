package dev.switchboard.app.generation;

import dev.switchboard.app.errors.ApiException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Typed reads of request body fields that fail with a 400 naming the parameter. JSON {@code null} and an
 * absent field both mean "not set", so {@code "max_tokens": null} takes the default (vLLM #19862 was a 500).
 */
final class RequestFields {

    private final JsonNode body;

    RequestFields(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid(null, "The request body must be a JSON object");
        }
        this.body = body;
    }

    JsonNode node(String name) {
        return body.path(name);
    }

    boolean isSet(String name) {
        JsonNode node = body.get(name);
        return node != null && !node.isNull();
    }

    String requiredString(String name) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            throw ApiException.invalid(name, "Missing required parameter: '" + name + "'");
        }
        if (!node.isString()) {
            throw ApiException.invalid(name, "'" + name + "' must be a string, found " + node.getNodeType().name().toLowerCase());
        }
        return node.asString();
    }

    @Nullable String optionalString(String name) {
        if (!isSet(name)) {
            return null;
        }
        JsonNode node = body.get(name);
        if (!node.isString()) {
            throw ApiException.invalid(name, "'" + name + "' must be a string, found " + node.getNodeType().name().toLowerCase());
        }
        return node.asString();
    }

    boolean optionalBoolean(String name, boolean fallback) {
        if (!isSet(name)) {
            return fallback;
        }
        JsonNode node = body.get(name);
        if (!node.isBoolean()) {
            throw ApiException.invalid(name, "'" + name + "' must be a boolean, found " + node.getNodeType().name().toLowerCase());
        }
        return node.asBoolean();
    }

    /** An integer in [min, max], or null when not set. */
    @Nullable Long optionalInteger(String name, long min, long max) {
        if (!isSet(name)) {
            return null;
        }
        JsonNode node = body.get(name);
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw ApiException.invalid(name, "'" + name + "' must be an integer, found " + describe(node));
        }
        long value = node.asLong();
        if (value < min || value > max) {
            throw ApiException.invalid(name, "'" + name + "' must be between " + min + " and " + max + ", found " + value);
        }
        return value;
    }

    /** A number in [min, max] (min exclusive when {@code minExclusive}), or {@code fallback} when not set. */
    double optionalNumber(String name, double min, boolean minExclusive, double max, double fallback) {
        if (!isSet(name)) {
            return fallback;
        }
        JsonNode node = body.get(name);
        if (!node.isNumber()) {
            throw ApiException.invalid(name, "'" + name + "' must be a number, found " + describe(node));
        }
        double value = node.asDouble();
        boolean belowMin = minExclusive ? value <= min : value < min;
        if (belowMin || value > max || Double.isNaN(value)) {
            throw ApiException.invalid(name, "'" + name + "' must be " + (minExclusive ? "greater than " : "at least ") + min
                    + " and at most " + max + ", found " + value);
        }
        return value;
    }

    /** {@code stop}: a string or a list of at most 4 non-empty strings. */
    List<String> stopSequences() {
        if (!isSet("stop")) {
            return List.of();
        }
        JsonNode node = body.get("stop");
        List<String> stops = new ArrayList<>();
        if (node.isString()) {
            stops.add(node.asString());
        } else if (node.isArray() && node.size() <= 4) {
            for (JsonNode element : node) {
                if (!element.isString()) {
                    throw ApiException.invalid("stop", "'stop' must be a string or a list of strings, found a "
                            + element.getNodeType().name().toLowerCase() + " in the list");
                }
                stops.add(element.asString());
            }
        } else {
            throw ApiException.invalid("stop", "'stop' must be a string or a list of at most 4 strings");
        }
        if (stops.stream().anyMatch(String::isEmpty)) {
            throw ApiException.invalid("stop", "'stop' strings must not be empty");
        }
        return stops;
    }

    /** Rejects a field that would change the output in a way this server does not implement. */
    void rejectUnsupported(String name, String why) {
        throw ApiException.invalid(name, "'" + name + "' is not supported by this server: " + why);
    }

    private static String describe(JsonNode node) {
        return node.isString() ? "the string \"" + node.asString() + "\"" : node.toString();
    }
}
