package dev.switchboard.app.security;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.errors.OpenAiErrorBody;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Answers paths outside {@link RouteAccess} with 404 and listed paths called with another method with 405,
 * in OpenAI's error shape and the same for every caller: OpenAI clients expect 404 for a route that does not
 * exist, and a 401 or 403 there would only say "this needs other credentials". Runs in the security chain
 * before authentication, so an unlisted route never reaches a handler whatever the credentials.
 */
final class UnknownRouteFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        List<RouteAccess.Rule> rules = RouteAccess.matching(request.getPath().pathWithinApplication());
        if (rules.isEmpty()) {
            return OpenAiErrorBody.write(exchange.getResponse(),
                    ApiException.unknownUrl(request.getMethod().name(), request.getPath().value()));
        }
        Set<HttpMethod> allowed = new LinkedHashSet<>();
        for (RouteAccess.Rule rule : rules) {
            if (rule.allows(request.getMethod())) {
                return chain.filter(exchange);
            }
            allowed.add(rule.method());
        }
        exchange.getResponse().getHeaders().setAllow(allowed);
        return OpenAiErrorBody.write(exchange.getResponse(), new ApiException(HttpStatus.METHOD_NOT_ALLOWED,
                "invalid_request_error", null, "method_not_allowed",
                "This route does not accept " + request.getMethod() + "; it accepts " + allowed, null));
    }
}
