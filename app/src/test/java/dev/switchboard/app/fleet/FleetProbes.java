package dev.switchboard.app.fleet;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/** Reading what the replicas' APIs answer in the fleet tests: routing traces, expert tables, usage. */
final class FleetProbes {

    private FleetProbes() {}

    /** Sends {@code count} completions; answers {requests, prompt tokens, completion tokens} from their usage. */
    static long[] usage(ReplicaApp replica, int count) throws Exception {
        long[] usage = {count, 0, 0};
        for (int i = 0; i < count; i++) {
            JsonNode response = replica.complete("Hello number " + i + " from " + replica.name);
            usage[1] += response.path("usage").path("prompt_tokens").asLong();
            usage[2] += response.path("usage").path("completion_tokens").asLong();
        }
        return usage;
    }

    static long requestsOf(JsonNode stats, String instance) {
        return instance(stats, instance)[0];
    }

    static long[] instance(JsonNode stats, String instance) {
        for (JsonNode entry : stats.path("instances")) {
            if (entry.path("instance").asString().equals(instance)) {
                return new long[] {entry.path("requests").asLong(), entry.path("promptTokens").asLong(),
                        entry.path("completionTokens").asLong()};
            }
        }
        return new long[3];
    }

    static String state(JsonNode table, int layer, int expert) {
        return table.path("layers").path(layer).path("experts").path(expert).path("state").asString();
    }

    static long tokensTo(List<List<Integer>> routed, int expert) {
        return routed.stream().filter(experts -> experts.contains(expert)).count();
    }

    static int mostRouted(List<List<Integer>> routed) {
        Map<Integer, Long> counts = routed.stream().flatMap(List::stream).collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
}
