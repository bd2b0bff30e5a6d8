package dev.switchboard.app.security;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.errors.OpenAiErrorBody;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Every request body this service reads is JSON, so a body sent as anything else ({@code text/plain},
 * {@code multipart/form-data}, {@code application/xml}, none at all) is refused with 415 before it is read.
 * The controllers read their bodies as text and would otherwise parse any of those as JSON; {@code text/plain}
 * is also what a cross-site HTML form or {@code fetch} can send without a CORS preflight. Runs after
 * authorization, so callers without access still get 401/403 first. The one exception is the plugin upload
 * ({@code POST /api/admin/plugins}, admin only), whose body is a jar sent as {@code application/java-archive}
 * (not a type a form can send either).
 */
final class JsonBodyFilter implements WebFilter {

    private static final MediaType JAR = MediaType.parseMediaType("application/java-archive");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        boolean hasBody = headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
        if (!hasBody || isJson(headers) || isPluginUpload(exchange, headers)) {
            return chain.filter(exchange);
        }
        return OpenAiErrorBody.write(exchange.getResponse(), new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "invalid_request_error", null, "unsupported_media_type",
                "Send the request body as application/json (found " + contentType(headers) + ")", null));
    }

    private static boolean isJson(HttpHeaders headers) {
        try {
            MediaType type = headers.getContentType();
            return type != null && type.getType().equals("application")
                    && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
        } catch (IllegalArgumentException unparsable) {
            return false;
        }
    }

    private static boolean isPluginUpload(ServerWebExchange exchange, HttpHeaders headers) {
        try {
            return exchange.getRequest().getMethod() == HttpMethod.POST
                    && exchange.getRequest().getPath().pathWithinApplication().value().equals("/api/admin/plugins")
                    && JAR.equalsTypeAndSubtype(headers.getContentType());
        } catch (IllegalArgumentException unparsable) {
            return false;
        }
    }

    private static String contentType(HttpHeaders headers) {
        String type = headers.getFirst(HttpHeaders.CONTENT_TYPE);
        return type == null ? "no Content-Type" : "Content-Type " + type;
    }
}
