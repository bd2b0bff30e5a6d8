package dev.switchboard.app.routingstats;

import dev.switchboard.runtime.routing.ConsecutiveRoutes;

/**
 * One sequence as the statistics see it: the model and domain its counts go to, and its consecutive-token
 * routes, so that {@link RoutingStatsRecorder#recordTokenRoutes} can count tokens routed to the same expert as
 * the token before (docs/MOE.md#consecutive-tokens). Open one per sequence with {@link RoutingStatsRecorder#openSequence}.
 *
 * <p>Not thread-safe: a sequence's tokens are routed one after another, by one thread at a time.
 */
public final class SequenceRoutes {

    private final String modelId;
    private final String domain;
    private final ConsecutiveRoutes routes = new ConsecutiveRoutes();

    SequenceRoutes(String modelId, String domain) {
        this.modelId = modelId;
        this.domain = domain;
    }

    String modelId() {
        return modelId;
    }

    String domain() {
        return domain;
    }

    ConsecutiveRoutes.Pair next(int layer, int[] selectedExperts) {
        return routes.next(layer, selectedExperts);
    }
}
