package dev.switchboard.app.routingstats;

import java.util.List;

/**
 * What {@code GET /api/stats/instances} shows: usage of a model over a range per replica and summed over the fleet.
 * Requests and tokens come from the stored requests ({@code completion_request}, kept {@code retention.requests});
 * routed tokens from the raw windows of layer 0 ({@code layer_window}, kept {@code retention.raw-age}, after which
 * rollups fold the instances together).
 *
 * @param total the sum over every instance
 * @param instances one entry per instance that served the model in the range, by instance id
 */
public record FleetUsage(InstanceUsage total, List<InstanceUsage> instances) {

    public FleetUsage {
        instances = List.copyOf(instances);
    }

    /**
     * One instance's usage (or the fleet's, as {@code total}, with instance {@code *}).
     *
     * @param requests completed requests
     * @param promptTokens their prompt tokens
     * @param completionTokens their generated tokens
     * @param routedTokens tokens routed through layer 0 (prefill and decode)
     */
    public record InstanceUsage(String instance, long requests, long promptTokens, long completionTokens, long routedTokens) {}

    static FleetUsage of(List<InstanceUsage> instances) {
        return new FleetUsage(new InstanceUsage("*", instances.stream().mapToLong(InstanceUsage::requests).sum(),
                instances.stream().mapToLong(InstanceUsage::promptTokens).sum(),
                instances.stream().mapToLong(InstanceUsage::completionTokens).sum(),
                instances.stream().mapToLong(InstanceUsage::routedTokens).sum()), instances);
    }
}
