package dev.switchboard.tools.lab;

import dev.switchboard.tools.eval.EvalReport;
import dev.switchboard.tools.eval.LayerReport;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code lab specialisation}'s result: per layer, how each domain's tokens spread over the experts, how often
 * consecutive tokens keep their expert (beside the random-routing rates), and the tokens each expert takes most
 * (Jiang et al. 2024, Fig. 7, Table 5 and Fig. 8). Built from an {@code eval} report of the model.
 */
public record SpecialisationResult(String model, String recipe, int window, int windowsPerDomain, int experts,
        int expertsPerToken, double randomSameFirstRate, double randomFirstOrSecondRate, List<Layer> layers) {

    /**
     * @param all the rates over every domain's tokens
     * @param topTokens per expert, the token pieces routed to it most (any rank), most frequent first
     */
    public record Layer(int layer, List<DomainRouting> domains, Rates all, List<List<LayerReport.TokenCount>> topTokens) {}

    /**
     * One domain's routing at one layer.
     *
     * @param loadShare per expert, its share of the domain's expert assignments (any rank; 1/experts when uniform)
     * @param distanceFromAll total variation distance between this share and all domains' share: 0 when the domain
     *     is routed like the others, 1 when it uses experts no other domain uses
     */
    public record DomainRouting(String domain, List<Double> loadShare, Rates consecutive, double distanceFromAll) {}

    /** Consecutive tokens with the same first expert, and with a shared expert among their first two. */
    public record Rates(long pairs, double sameFirstRate, double firstOrSecondRate) {}

    static SpecialisationResult of(EvalReport report) {
        LayerReport first = report.layers().get(0);
        List<Layer> layers = new ArrayList<>();
        for (LayerReport all : report.layers()) {
            List<Double> allShare = shares(all.load());
            List<DomainRouting> domains = new ArrayList<>();
            for (EvalReport.DomainResult domain : report.domains()) {
                LayerReport layer = domain.layers().get(all.layer());
                List<Double> share = shares(layer.load());
                domains.add(new DomainRouting(domain.loss().domain(), share, rates(layer), distance(share, allShare)));
            }
            layers.add(new Layer(all.layer(), List.copyOf(domains), rates(all), all.topTokens()));
        }
        return new SpecialisationResult(report.model(), report.recipe(), report.window(), report.windowsPerDomain(),
                first.numExperts(), first.topK(), first.consecutive().randomSameFirstRate(),
                first.consecutive().randomFirstOrSecondRate(), List.copyOf(layers));
    }

    private static Rates rates(LayerReport layer) {
        LayerReport.Consecutive c = layer.consecutive();
        return new Rates(c.pairs(), c.sameFirstRate(), c.firstOrSecondRate());
    }

    private static List<Double> shares(long[] load) {
        long total = 0;
        for (long v : load) total += v;
        List<Double> shares = new ArrayList<>(load.length);
        for (long v : load) shares.add(total == 0 ? 0 : (double) v / total);
        return List.copyOf(shares);
    }

    /** Half the summed absolute difference of two distributions. */
    static double distance(List<Double> a, List<Double> b) {
        double sum = 0;
        for (int i = 0; i < a.size(); i++) sum += Math.abs(a.get(i) - b.get(i));
        return sum / 2;
    }
}
