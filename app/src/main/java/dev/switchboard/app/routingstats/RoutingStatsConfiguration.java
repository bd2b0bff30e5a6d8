package dev.switchboard.app.routingstats;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Wires the routing statistics: recorder (the API), buffer, writer, flusher, retention, metrics. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RoutingStatsProperties.class)
class RoutingStatsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RoutingStatsConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    RoutingStatsMetrics routingStatsMetrics(MeterRegistry registry) {
        return new RoutingStatsMetrics(registry);
    }

    @Bean
    RoutingStatsRecorder routingStatsRecorder(RoutingStatsProperties properties, Clock clock, RoutingStatsMetrics metrics) {
        return new RoutingStatsRecorder(properties, clock, metrics);
    }

    @Bean
    RoutingStatsFlusher routingStatsFlusher(RoutingStatsRecorder recorder, RoutingStatsProperties properties, Clock clock,
            RoutingStatsMetrics metrics, DatabaseClient database, ReactiveTransactionManager transactionManager) {
        TransactionalOperator transactions = TransactionalOperator.create(transactionManager);
        RoutingStatsWriter writer = new RoutingStatsWriter(database, transactions, instanceId(properties), properties.writeTimeout());
        RoutingStatsRetention retention = new RoutingStatsRetention(database, transactions, properties.retention(), properties.writeTimeout());
        WindowBuffer buffer = new WindowBuffer(properties.bufferBudget().toBytes(), metrics);
        return new RoutingStatsFlusher(recorder, buffer, writer, retention, metrics, clock, properties);
    }

    @Bean
    RoutingStatsRepository routingStatsRepository(DatabaseClient database) {
        return new RoutingStatsRepository(database);
    }

    /**
     * The configured (or host) name plus a per-boot suffix: the writer replaces an instance's rows per
     * window span, so a restarted process must never share its predecessor's id.
     */
    static String instanceId(RoutingStatsProperties properties) {
        String name = properties.instance();
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                log.debug("No host name for the statistics instance id; using 'switchboard'", e);
                name = "switchboard";
            }
        }
        return name + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
