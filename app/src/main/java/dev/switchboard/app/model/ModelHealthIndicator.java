package dev.switchboard.app.model;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code model}, part of the readiness group: DOWN while the model loads or after it
 * failed to load, UP when it serves (or when none is configured, since then there is nothing to wait for).
 * Not part of liveness: a slow load must not get the process restarted.
 */
@Component("modelHealthIndicator")
class ModelHealthIndicator implements HealthIndicator {

    private final ModelHolder holder;

    ModelHealthIndicator(ModelHolder holder) {
        this.holder = holder;
    }

    @Override
    public Health health() {
        ModelHolder.State state = holder.state();
        Health.Builder builder = switch (state) {
            case READY, NOT_CONFIGURED -> Health.up();
            case LOADING, FAILED, CLOSED -> Health.down();
        };
        builder.withDetail("state", state.name());
        holder.current().ifPresent(model -> builder.withDetail("id", model.id()));
        if (holder.failure() != null) {
            builder.withDetail("failure", holder.failure());
        }
        return builder.build();
    }
}
