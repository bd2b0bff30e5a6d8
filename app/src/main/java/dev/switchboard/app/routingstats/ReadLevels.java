package dev.switchboard.app.routingstats;

import static dev.switchboard.app.routingstats.AggregateRefresh.ceil;
import static dev.switchboard.app.routingstats.AggregateRefresh.floor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which level answers which part of a read's range {@code [from, to)}: given the aggregates' grains, finest first
 * (say minutes, 5 minutes, hours), the coarsest grain answers the whole grains in the middle, each finer one the
 * whole grains around the coarser part, and the raw windows (and rollups) the ragged ends. A level is used only where
 * each of its rows falls in a single requested bucket: its grain divides the bucket size (buckets are aligned to the
 * epoch, as the aggregates are), or the whole range is one bucket. So a query reads about (buckets + a few) rows per
 * layer and expert (and domain, where kept), however many windows lie underneath.
 *
 * <pre>
 * from     lo[0]    lo[1]    lo[2]           hi[2]    hi[1]    hi[0]     to
 *  | raw     | 1 min  | 5 min  | hours           | 5 min  | 1 min  | raw     |
 * </pre>
 *
 * A grain that does not divide the bucket, and every coarser one, gets an empty part ({@code lo == hi}) at the
 * end of the finer part.
 */
record ReadLevels(List<Instant> lo, List<Instant> hi) {

    /**
     * @param bucketSeconds the bucket size, or {@link RoutingStatsRepository#WHOLE_RANGE}
     * @param grains the aggregates' grains in seconds, finest first, each dividing the next
     */
    static ReadLevels of(Instant from, Instant to, long bucketSeconds, int... grains) {
        boolean whole = bucketSeconds == RoutingStatsRepository.WHOLE_RANGE;
        List<Instant> lo = new ArrayList<>();
        List<Instant> hi = new ArrayList<>();
        Instant start = from;
        Instant end = to;
        boolean fits = true;
        for (int grain : grains) {
            fits = fits && (whole || bucketSeconds % grain == 0);
            if (fits) {
                start = min(ceil(start, grain), end);
                end = max(floor(end, grain), start);
            } else {
                start = end;
            }
            lo.add(start);
            hi.add(end);
        }
        return new ReadLevels(List.copyOf(lo), List.copyOf(hi));
    }

    /** The bounds in the order the statements bind them: lo and hi of the finest grain, then of the next, … */
    List<Instant> bounds() {
        List<Instant> bounds = new ArrayList<>();
        for (int i = 0; i < lo.size(); i++) {
            bounds.add(lo.get(i));
            bounds.add(hi.get(i));
        }
        return bounds;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
