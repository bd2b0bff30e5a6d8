package dev.switchboard.app.generation;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.errors.BindingErrors;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.MutableCoercionConfig;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Binds a request body to its record, on the calling (preparation) thread: the body arrives as text and is bound
 * here rather than by WebFlux's decoder, which would parse it on the event loop. Values of the wrong JSON type
 * are refused instead of coerced ({@code "5"} is not an integer, {@code 1.5} not truncated to 1, {@code 7} not a
 * string), as OpenAI does; unknown fields are ignored. A failure is a 400 from {@link BindingErrors}.
 */
@Component
class RequestBinder {

    private final JsonMapper strict;

    RequestBinder(JsonMapper json) {
        this.strict = json.rebuild()
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .withCoercionConfig(LogicalType.Textual, refuse(CoercionInputShape.Integer, CoercionInputShape.Float,
                        CoercionInputShape.Boolean))
                .withCoercionConfig(LogicalType.Integer, refuse(CoercionInputShape.String, CoercionInputShape.Float,
                        CoercionInputShape.Boolean))
                .withCoercionConfig(LogicalType.Float, refuse(CoercionInputShape.String, CoercionInputShape.Boolean))
                .withCoercionConfig(LogicalType.Boolean, refuse(CoercionInputShape.String, CoercionInputShape.Integer,
                        CoercionInputShape.Float))
                .build();
    }

    /** @throws ApiException 400 naming the JSON path of the first value that does not fit {@code type} */
    <T> T bind(String body, Class<T> type) {
        T bound;
        try {
            bound = strict.readValue(body, type);
        } catch (JacksonException e) {
            throw BindingErrors.translate(e, () -> tree(body));
        }
        if (bound == null) { // the body was the JSON literal null
            throw ApiException.invalid(null, BindingErrors.NOT_AN_OBJECT);
        }
        return bound;
    }

    private @Nullable JsonNode tree(String body) {
        try {
            return strict.readTree(body);
        } catch (JacksonException notJson) {
            return null;
        }
    }

    private static Consumer<MutableCoercionConfig> refuse(CoercionInputShape... shapes) {
        return config -> {
            for (CoercionInputShape shape : shapes) {
                config.setCoercion(shape, CoercionAction.Fail);
            }
        };
    }
}
