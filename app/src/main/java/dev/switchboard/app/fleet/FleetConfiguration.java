package dev.switchboard.app.fleet;

import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Wires the replicas' shared state: this replica's identity, LISTEN/NOTIFY, the sync thread and the heartbeat.
 * A single node runs the same code against its embedded database: it is a fleet of one.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FleetProperties.class)
class FleetConfiguration {

    /** Named by {@code switchboard.stats.instance} (the host name when unset), as the statistics are. */
    @Bean
    Replica replica(@Value("${switchboard.stats.instance:}") String name, Clock clock) {
        return Replica.named(name, clock.instant());
    }

    @Bean
    ReplicaRepository replicaRepository(DatabaseClient database) {
        return new ReplicaRepository(database);
    }

    @Bean(destroyMethod = "close")
    FleetNotifications fleetNotifications(ConnectionFactory connections, DatabaseClient database) {
        return new FleetNotifications(connections, database);
    }

    @Bean
    ReplicaHeartbeat replicaHeartbeat(Replica replica, ReplicaRepository replicas, ExpertConfigurationState experts,
            MeterRegistry meters, FleetProperties properties, Clock clock) {
        return new ReplicaHeartbeat(replica, replicas, experts, meters, properties, clock);
    }

    /** The heartbeat runs last, so that it reports what the other tasks achieved. */
    @Bean
    FleetSync fleetSync(FleetNotifications notifications, ObjectProvider<FleetTask> tasks, ReplicaHeartbeat heartbeat,
            FleetProperties properties) {
        var ordered = new java.util.ArrayList<>(tasks.orderedStream().filter(task -> task != heartbeat).toList());
        ordered.add(heartbeat);
        return new FleetSync(notifications, ordered, properties);
    }
}
