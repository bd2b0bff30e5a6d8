package dev.switchboard.app.experts;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code expertConfiguration}, part of readiness: DOWN from the model's load until this replica
 * has synced with the shared expert configuration once, so a restarted replica takes no traffic with the
 * checkpoint's experts while the fleet serves another set. A version it cannot apply keeps it UP (it serves its
 * last good set; taking every replica out for one missing plugin would stop the service) with the reason in the
 * details ({@code applyError}), as in {@code /api/admin/instances}. Reads memory only: answers while the database hangs.
 */
@Component("expertConfigurationHealthIndicator")
class ExpertConfigurationHealthIndicator implements HealthIndicator {

    private final ExpertConfigurationSync sync;

    ExpertConfigurationHealthIndicator(ExpertConfigurationSync sync) {
        this.sync = sync;
    }

    @Override
    public Health health() {
        if (!sync.synced()) {
            return Health.down().withDetail("state", "not yet synced with the shared expert configuration").build();
        }
        Health.Builder builder = Health.up().withDetail("appliedVersion", sync.appliedVersion());
        sync.applyError().ifPresent(error -> builder.withDetail("applyError", error));
        return builder.build();
    }
}
