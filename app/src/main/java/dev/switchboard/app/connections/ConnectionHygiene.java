package dev.switchboard.app.connections;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Installs the connection-level guards on the Netty server: the request-header read timeout, the malformed-body
 * guard and the OpenAI-shaped answer to an undecodable request line or headers on every connection, the accept-failure report on the listening socket. The idle timeout itself is
 * reactor-netty's ({@code server.netty.idle-timeout}); it only runs between requests, so a response being written,
 * such as an SSE stream with its keep-alive comments, is never cut by it.
 */
@Configuration(proxyBeanMethods = false)
class ConnectionHygiene {

    @Bean
    NettyServerCustomizer connectionGuards(ConnectionProperties properties, MeterRegistry registry) {
        long headerTimeoutMillis = properties.headerReadTimeout().toMillis();
        AcceptFailures acceptFailures = new AcceptFailures(registry);
        return server -> server
                .doOnChannelInit((observer, channel, remoteAddress) -> {
                    // each goes right after the codec, so the last installed sees decoded messages first
                    UndecodableRequestAnswer.install(channel.pipeline());
                    MalformedBodyGuard.install(channel.pipeline());
                    RequestHeaderTimeout.install(channel.pipeline(), headerTimeoutMillis);
                })
                .doOnBound(bound -> bound.channel().pipeline().addFirst("switchboard.acceptFailures", acceptFailures));
    }
}
