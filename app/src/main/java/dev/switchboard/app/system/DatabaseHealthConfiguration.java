package dev.switchboard.app.system;

import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.r2dbc.health.ConnectionFactoryHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/**
 * The database health check ({@code r2dbc}, part of readiness) with a time limit. Spring Boot's own check
 * waits as long as the database does, so a frozen PostgreSQL (SIGSTOP, a hung disk) left readiness without
 * an answer for as long as it lasted; a probe that cannot tell must say DOWN, quickly.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseHealthConfiguration {

    /** Well inside a Kubernetes probe's default 1 s timeout. */
    static final Duration ANSWER_WITHIN = Duration.ofMillis(500);

    /** Named as Boot's, which then backs off; the component keeps its name {@code r2dbc}. */
    @Bean
    ReactiveHealthIndicator r2dbcHealthIndicator(ConnectionFactory connectionFactory) {
        ConnectionFactoryHealthIndicator check = new ConnectionFactoryHealthIndicator(connectionFactory);
        Health noAnswer = Health.down().withDetail("error", "no answer within " + ANSWER_WITHIN.toMillis() + " ms").build();
        return () -> check.health().timeout(ANSWER_WITHIN, Mono.just(noAnswer));
    }
}
