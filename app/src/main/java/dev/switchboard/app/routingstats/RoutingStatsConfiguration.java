package dev.switchboard.app.routingstats;

import dev.switchboard.app.fleet.Replica;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Wires the routing statistics: recorder (the API), buffer, writer, flusher, retention, metrics. Rows carry this
 * replica's instance id ({@link Replica}), as its heartbeat does, so per-instance statistics and
 * {@code /api/admin/instances} name replicas the same way.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RoutingStatsProperties.class)
class RoutingStatsConfiguration {

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
            RoutingStatsMetrics metrics, DatabaseClient database, ReactiveTransactionManager transactionManager, Replica replica) {
        TransactionalOperator transactions = TransactionalOperator.create(transactionManager);
        RoutingStatsWriter writer = new RoutingStatsWriter(database, transactions, replica.instanceId(), properties.writeTimeout());
        RoutingStatsRetention retention = new RoutingStatsRetention(database, transactions, properties.retention(), properties.writeTimeout());
        WindowBuffer buffer = new WindowBuffer(properties.bufferBudget().toBytes(), metrics);
        return new RoutingStatsFlusher(recorder, buffer, writer, retention, metrics, clock, properties);
    }

    @Bean
    RoutingStatsRepository routingStatsRepository(DatabaseClient database) {
        return new RoutingStatsRepository(database);
    }

    @Bean
    InstanceUsageRepository instanceUsageRepository(DatabaseClient database) {
        return new InstanceUsageRepository(database);
    }
}
