package dev.switchboard.app.security;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.errors.OpenAiErrorBody;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses (403) a request whose {@code Origin} is another site not listed in
 * {@code switchboard.security.cors-allowed-origins}. Closed CORS only stops a page from reading answers: a
 * "simple" cross-site POST ({@code text/plain}, no custom headers) is still sent by the browser and, without
 * this filter, would run a generation on a local server for any page the user visits. Same-origin requests
 * (the dashboard) and clients that send no {@code Origin} (SDKs, curl) pass. Behind a proxy that rewrites the
 * {@code Host} header, list the public origin in {@code cors-allowed-origins}.
 */
final class ForeignOriginFilter implements WebFilter {

    private final CorsConfiguration allowed = new CorsConfiguration();

    ForeignOriginFilter(List<String> allowedOrigins) {
        allowed.setAllowedOrigins(allowedOrigins);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!CorsUtils.isCorsRequest(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        String origin = exchange.getRequest().getHeaders().getOrigin();
        if (allowed.checkOrigin(origin) != null) {
            return chain.filter(exchange);
        }
        return OpenAiErrorBody.write(exchange.getResponse(), new ApiException(HttpStatus.FORBIDDEN, "permission_error",
                null, "origin_not_allowed", "Requests from origin " + origin + " are not allowed (CORS)", null));
    }
}
