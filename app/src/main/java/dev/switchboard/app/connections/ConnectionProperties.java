package dev.switchboard.app.connections;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Connection hygiene, under {@value #PREFIX}. The idle timeout is Spring Boot's {@code server.netty.idle-timeout}.
 *
 * @param headerReadTimeout longest a client may take to send a request's line and headers, counted from its first
 *     byte; a connection that trickles them (slowloris) is answered 408 and closed. Bodies are not covered: they are
 *     bounded by {@code spring.http.codecs.max-in-memory-size}
 */
@ConfigurationProperties(ConnectionProperties.PREFIX)
public record ConnectionProperties(@DefaultValue("10s") Duration headerReadTimeout) {

    public static final String PREFIX = "switchboard.connections";

    public ConnectionProperties {
        if (headerReadTimeout.isNegative() || headerReadTimeout.isZero()) {
            throw new IllegalArgumentException(PREFIX + ".header-read-timeout must be positive, found " + headerReadTimeout);
        }
    }
}
