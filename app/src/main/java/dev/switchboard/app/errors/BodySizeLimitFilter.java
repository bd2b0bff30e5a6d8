package dev.switchboard.app.errors;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Answers 413 before reading a body whose declared {@code Content-Length} is over
 * {@code spring.http.codecs.max-in-memory-size}. Chunked bodies without a length are cut by the codec
 * limit while being read, which {@link OpenAiErrorHandler} also maps to 413.
 */
@Component
class BodySizeLimitFilter implements WebFilter, Ordered {

    private final long limitBytes;

    BodySizeLimitFilter(@Value("${spring.http.codecs.max-in-memory-size:256KB}") DataSize limit) {
        this.limitBytes = limit.toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long length = exchange.getRequest().getHeaders().getContentLength();
        if (length > limitBytes) {
            return OpenAiErrorBody.write(exchange.getResponse(), ApiException.tooLarge());
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
