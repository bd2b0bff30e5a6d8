package dev.switchboard.app.experts;

import dev.switchboard.app.errors.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/** The 4xx answers of the expert admin API, in OpenAI's error shape. */
final class ExpertErrors {

    private ExpertErrors() {}

    /** 404: a layer, expert, plugin or contributed expert that does not exist. */
    static ApiException notFound(String param, String message) {
        return new ApiException(HttpStatus.NOT_FOUND, "invalid_request_error", param, "not_found", message, null);
    }

    /** 400: a value that cannot be used (unknown kind, weights of the wrong shape). */
    static ApiException invalid(@Nullable String param, String message) {
        return ApiException.invalid(param, message);
    }

    /** 409: the request is valid but the model's current state forbids it. */
    static ApiException conflict(String message) {
        return new ApiException(HttpStatus.CONFLICT, "invalid_request_error", null, "conflict", message, null);
    }
}
