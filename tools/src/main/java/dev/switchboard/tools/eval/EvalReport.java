package dev.switchboard.tools.eval;

import java.util.List;

/**
 * Everything one {@code eval} run measured.
 *
 * @param window tokens per held-out window
 * @param uniformLoss ln(vocabulary size): the loss of a model that knows nothing
 * @param domains per domain: its loss and its routing (without top tokens)
 * @param layers the routing of all evaluated tokens together, with top tokens
 */
public record EvalReport(String model, String recipe, int window, int windowsPerDomain, double uniformLoss,
        List<DomainResult> domains, List<LayerReport> layers) {

    public record DomainResult(DomainLoss loss, List<LayerReport> layers) {}

    /** Mean loss over every evaluated position of every domain (with equal windows per domain, the mean of the domains). */
    public double natsPerToken() {
        double nats = domains.stream().mapToDouble(d -> d.loss().natsSum()).sum();
        long positions = domains.stream().mapToLong(d -> d.loss().positions()).sum();
        return positions == 0 ? 0 : nats / positions;
    }
}
