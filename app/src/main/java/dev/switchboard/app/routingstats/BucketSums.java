package dev.switchboard.app.routingstats;

import dev.switchboard.app.routingstats.RoutingStatsRepository.ExpertUsage;
import dev.switchboard.app.routingstats.RoutingStatsRepository.LayerSlot;
import dev.switchboard.app.routingstats.RoutingStatsRepository.LayerUsage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sums the periods of one bucket, as {@link PeriodQueries} returns them in buckets, into one row per domain, layer
 * (and expert), ordered by them: what {@code GROUP BY} gave, without PostgreSQL grouping and sorting every row.
 */
final class BucketSums {

    /** One expert of one layer and domain within the bucket. */
    private record ExpertSlot(String domain, int layer, int expert) {}

    private static final Comparator<ExpertSlot> EXPERT_ORDER =
            Comparator.comparing(ExpertSlot::domain).thenComparingInt(ExpertSlot::layer).thenComparingInt(ExpertSlot::expert);
    /** Within one bucket: the bucket start is the same for all. */
    private static final Comparator<LayerSlot> LAYER_ORDER = Comparator.comparing(LayerSlot::domain).thenComparingInt(LayerSlot::layer);

    private BucketSums() {}

    /** @param periods the expert periods of one bucket (each with the bucket's start), in any order */
    static List<ExpertUsage> experts(List<ExpertUsage> periods) {
        Map<ExpertSlot, ExpertUsage> sums = new TreeMap<>(EXPERT_ORDER);
        for (ExpertUsage p : periods) {
            sums.merge(new ExpertSlot(p.domain(), p.layer(), p.expert()), p, (a, b) -> new ExpertUsage(a.bucketStart(), a.domain(),
                    a.layer(), a.expert(), a.firstChoice() + b.firstChoice(), a.anyChoice() + b.anyChoice(),
                    a.routerProbabilitySum() + b.routerProbabilitySum(), 0));
        }
        return new ArrayList<>(sums.values());
    }

    /** @param periods the layer periods of one bucket (each with the bucket's start), in any order */
    static List<LayerUsage> layers(List<LayerUsage> periods) {
        Map<LayerSlot, LayerUsage> sums = new TreeMap<>(LAYER_ORDER);
        for (LayerUsage p : periods) {
            sums.merge(new LayerSlot(p.bucketStart(), p.domain(), p.layer()), p, (a, b) -> new LayerUsage(a.bucketStart(), a.domain(), a.layer(),
                    Math.max(a.numExperts(), b.numExperts()), a.steps() + b.steps(), a.tokens() + b.tokens(), a.dropped() + b.dropped(),
                    a.auxLossSum() + b.auxLossSum(), a.zLossSum() + b.zLossSum(), a.entropySum() + b.entropySum(),
                    a.consecutivePairs() + b.consecutivePairs(), a.sameFirstPairs() + b.sameFirstPairs(),
                    a.firstOrSecondPairs() + b.firstOrSecondPairs()));
        }
        return new ArrayList<>(sums.values());
    }
}
