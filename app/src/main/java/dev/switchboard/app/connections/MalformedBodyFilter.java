package dev.switchboard.app.connections;

import dev.switchboard.app.errors.ApiException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * Ends a body that {@link MalformedBodyGuard} cut short with a 400 {@link ApiException} for whoever reads it, so
 * the request is answered like any other bad body (OpenAI's shape, a 4xx in the metrics), and closes the connection
 * after the answer: the codec discards everything after a malformed chunk, so no next request could follow.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class MalformedBodyFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!(ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest()) instanceof Connection connection)) {
            return chain.filter(exchange);
        }
        ServerHttpRequest checked = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody().concatWith(Mono.defer(() -> {
                    String reason = MalformedBodyGuard.takeReason(connection.channel());
                    if (reason == null) {
                        return Mono.empty();
                    }
                    exchange.getResponse().getHeaders().setConnection("close");
                    return Mono.error(ApiException.invalid(null,
                            "The request body is not valid HTTP/1.1 chunked encoding: " + reason));
                }));
            }
        };
        return chain.filter(exchange.mutate().request(checked).build());
    }
}
