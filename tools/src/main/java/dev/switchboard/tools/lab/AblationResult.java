package dev.switchboard.tools.lab;

import java.util.List;
import java.util.Map;

/**
 * {@code lab ablation}'s result: the held-out loss per domain of the intact model, and of the model with each expert
 * in turn masked out of routing.
 *
 * @param baseline held-out loss per domain (nats/token) with every expert enabled
 * @param ablated one per expert, layer by layer
 */
public record AblationResult(String model, String recipe, int window, int windowsPerDomain, List<String> domains,
        Map<String, Double> baseline, List<Ablated> ablated) {

    /**
     * One expert masked out.
     *
     * @param loss held-out loss per domain without it
     * @param change {@code loss − baseline} per domain: how much the domain needs the expert
     * @param loadShare per domain, the expert's share of that domain's assignments in its layer when it is enabled
     */
    public record Ablated(int layer, int expert, Map<String, Double> loss, Map<String, Double> change,
            Map<String, Double> loadShare) {}
}
