package dev.switchboard.app.errors;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Answers 413 before reading a body whose declared {@code Content-Length} is over
 * {@code spring.http.codecs.max-in-memory-size}. Chunked bodies without a length are cut by the codec
 * limit while being read, which {@link OpenAiErrorHandler} also maps to 413. A plugin upload
 * ({@code POST /api/admin/plugins}) is a jar, not JSON: it has its own limit, {@code switchboard.fleet.plugin-max-size},
 * enforced while it is read.
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
        if (length > limitBytes && !isPluginUpload(exchange)) {
            return OpenAiErrorBody.write(exchange.getResponse(), ApiException.tooLarge());
        }
        return chain.filter(exchange);
    }

    private static boolean isPluginUpload(ServerWebExchange exchange) {
        return exchange.getRequest().getMethod() == HttpMethod.POST
                && exchange.getRequest().getPath().pathWithinApplication().value().equals("/api/admin/plugins");
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
