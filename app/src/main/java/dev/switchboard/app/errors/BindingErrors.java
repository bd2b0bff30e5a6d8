package dev.switchboard.app.errors;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Turns a failure to bind a request body into OpenAI's 400, {@code param} being the JSON path of the value
 * ({@code messages[0].content}): syntax errors, values of the wrong JSON type, and values a record refused
 * ({@link InvalidParameter}). The one translation for every body, whether a controller bound it or WebFlux did.
 */
public final class BindingErrors {

    public static final String NOT_AN_OBJECT = "The request body must be a JSON object";

    private static final int QUOTED_CHARS = 40;

    private BindingErrors() {}

    /**
     * @param body the body as a tree, read again only to say what was found at the path; null when not available
     */
    public static ApiException translate(JacksonException failure, @Nullable Supplier<@Nullable JsonNode> body) {
        String path = path(failure.getPath());
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidParameter invalid) {
                return invalid.at(path);
            }
            if (cause instanceof ApiException api) {
                return api;
            }
        }
        if (failure instanceof ValueInstantiationException || failure instanceof InvalidDefinitionException) {
            return ApiException.internal(); // a record that cannot be bound, or failed other than by its checks: a fault here
        }
        if (failure instanceof StreamReadException && !(failure instanceof InputCoercionException)) {
            return ApiException.invalid(null, "The request body is not valid JSON: " + failure.getOriginalMessage());
        }
        if (path.isEmpty()) {
            return ApiException.invalid(null, NOT_AN_OBJECT);
        }
        String found = body == null ? null : found(body.get(), path(failure.getPath(), true));
        return ApiException.invalid(path, "'" + path + "' must be " + expected(targetType(failure))
                + (found == null ? "" : ", found " + found));
    }

    /** {@code messages[0].content}: property names joined by dots, list indexes in brackets. */
    static String path(List<JacksonException.Reference> references) {
        return path(references, false);
    }

    private static String path(List<JacksonException.Reference> references, boolean pointer) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                path.append(pointer ? "/" : path.isEmpty() ? "" : ".").append(pointer
                        ? reference.getPropertyName().replace("~", "~0").replace("/", "~1") : reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append(pointer ? "/" + reference.getIndex() : "[" + reference.getIndex() + "]");
            }
        }
        return path.toString();
    }

    private static @Nullable Class<?> targetType(JacksonException failure) {
        if (failure instanceof MismatchedInputException mismatch) {
            return mismatch.getTargetType();
        }
        return failure instanceof InputCoercionException coercion ? coercion.getTargetType() : null;
    }

    private static String expected(@Nullable Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Integer.class || type == Long.class || type == Short.class || type == BigInteger.class
                || type == int.class || type == long.class || type == short.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == BigDecimal.class || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        JsonClassDescription description = type.getAnnotation(JsonClassDescription.class);
        if (description != null) {
            return description.value();
        }
        return Map.class.isAssignableFrom(type) || !type.isPrimitive() ? "an object" : "a " + type.getSimpleName();
    }

    private static @Nullable String found(@Nullable JsonNode body, String pointer) {
        if (body == null) {
            return null;
        }
        JsonNode node = body.at(JsonPointer.compile(pointer));
        if (node.isMissingNode()) {
            return null;
        }
        if (node.isString()) {
            String text = node.asString();
            return "the string \"" + (text.length() > QUOTED_CHARS ? text.substring(0, QUOTED_CHARS) + "…" : text) + "\"";
        }
        if (node.isArray()) {
            return "a list";
        }
        return node.isObject() ? "an object" : node.toString();
    }
}
