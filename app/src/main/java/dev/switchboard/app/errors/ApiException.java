package dev.switchboard.app.errors;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * A request that ends in an OpenAI-shaped error: {@code {"error":{"message","type","param","code"}}}.
 * Thrown anywhere on the request path (or emitted mid-stream) and rendered by {@link OpenAiErrorHandler}.
 * The message is shown to the client, so it never carries internals of a server fault.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final @Nullable String param;
    private final @Nullable String code;
    private final @Nullable Duration retryAfter;

    public ApiException(HttpStatus status, String type, @Nullable String param, @Nullable String code, String message,
            @Nullable Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** 400 for a parameter the client got wrong; {@code param} names it as in the request body. */
    public static ApiException invalid(@Nullable String param, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", param, null, message, null);
    }

    /** 400 with a machine-readable code, e.g. {@code context_length_exceeded}. */
    public static ApiException invalid(@Nullable String param, String code, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", param, code, message, null);
    }

    public static ApiException modelNotFound(String model) {
        return new ApiException(HttpStatus.NOT_FOUND, "invalid_request_error", "model", "model_not_found",
                "The model '" + model + "' does not exist", null);
    }

    /**
     * 404 for a URL nothing answers: a path no route has, or a file missing under a public static folder. Worded as
     * OpenAI words it, the same for every caller.
     */
    public static ApiException unknownUrl(String method, String path) {
        return new ApiException(HttpStatus.NOT_FOUND, "invalid_request_error", null, "unknown_url",
                "Invalid URL (" + method + " " + path + ")", null);
    }

    /** 429: too many requests running and waiting; the client should retry after {@code retryAfter}. */
    public static ApiException overloaded(String message, Duration retryAfter) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limit_error", null, "overloaded", message, retryAfter);
    }

    /** 503: no model, model still loading, or the server is draining for shutdown. */
    public static ApiException unavailable(String code, String message, Duration retryAfter) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable_error", null, code, message, retryAfter);
    }

    /** 413: the body is over {@code spring.http.codecs.max-in-memory-size}. */
    public static ApiException tooLarge() {
        return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "invalid_request_error", null, "content_too_large",
                "The request body is larger than the server accepts", null);
    }

    /** 500 with a generic message: the cause is logged, never sent. */
    public static ApiException internal() {
        return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "server_error", null, null,
                "The server had an error while processing your request", null);
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    public @Nullable String param() {
        return param;
    }

    public @Nullable String code() {
        return code;
    }

    public @Nullable Duration retryAfter() {
        return retryAfter;
    }
}
