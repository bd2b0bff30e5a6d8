package dev.switchboard.app.errors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * The one place that turns any failure on any route into OpenAI's error shape with the right status.
 * Runs before Spring Boot's default handler (order -1), so no route ever answers with Boot's HTML or
 * JSON error page, and no stack trace or exception message of a server fault reaches a client.
 */
@Component
@Order(-2)
class OpenAiErrorHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(OpenAiErrorHandler.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(failure);
        }
        if (DisconnectedClientHelper.isClientDisconnectedException(failure)) {
            // the client went away (e.g. mid-body): nobody to answer and no server fault to log or count as a 500
            log.debug("{} {}: the client disconnected", exchange.getRequest().getMethod(), exchange.getRequest().getPath());
            return Mono.empty();
        }
        ApiException error = translate(failure, exchange.getRequest());
        if (error.status().is5xxServerError() && error.status() != HttpStatus.SERVICE_UNAVAILABLE) {
            log.error("{} {} failed", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), failure);
        }
        return OpenAiErrorBody.write(response, error);
    }

    static ApiException translate(Throwable failure, ServerHttpRequest request) {
        boolean readingBody = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                return api;
            }
            if (t instanceof DataBufferLimitException) {
                return ApiException.tooLarge();
            }
            if (t instanceof InvalidParameter invalid) {
                return invalid.at("");
            }
            readingBody |= t instanceof ServerWebInputException || t instanceof DecodingException;
            if (readingBody && t instanceof JacksonException binding) {
                return BindingErrors.translate(binding, null); // a body WebFlux bound, e.g. an admin request
            }
        }
        if (failure instanceof ResponseStatusException status) {
            return fromStatus(status.getStatusCode(), status.getReason(), request);
        }
        return ApiException.internal();
    }

    private static ApiException fromStatus(HttpStatusCode code, String reason, ServerHttpRequest request) {
        HttpStatus status = HttpStatus.resolve(code.value());
        if (status == null || code.is5xxServerError()) {
            return ApiException.internal();
        }
        return switch (status) {
            // Spring's own 404 is a static file that is not there (unlisted paths never get this far): an unknown URL
            case NOT_FOUND -> ApiException.unknownUrl(request.getMethod().name(), request.getPath().value());
            case PAYLOAD_TOO_LARGE -> ApiException.tooLarge();
            case METHOD_NOT_ALLOWED -> new ApiException(status, "invalid_request_error", null, null,
                    "This route does not accept that HTTP method", null);
            case UNSUPPORTED_MEDIA_TYPE -> new ApiException(status, "invalid_request_error", null, null,
                    "Send the request body as application/json", null);
            case BAD_REQUEST -> ApiException.invalid(null,
                    reason == null || reason.isBlank() ? "The request could not be read" : reason);
            default -> new ApiException(status, "invalid_request_error", null, null,
                    reason == null ? status.getReasonPhrase() : reason, null);
        };
    }
}
