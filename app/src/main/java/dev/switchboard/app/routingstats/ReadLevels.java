package dev.switchboard.app.routingstats;

import static dev.switchboard.app.routingstats.AggregateRefresh.FIVE_MINUTES;
import static dev.switchboard.app.routingstats.AggregateRefresh.HOUR;
import static dev.switchboard.app.routingstats.AggregateRefresh.ceil;
import static dev.switchboard.app.routingstats.AggregateRefresh.floor;

import java.time.Instant;

/**
 * Which level answers which part of a read's range {@code [from, to)}: the hourly aggregates the whole hours
 * in the middle, the 5-minute ones the whole 5 minutes around them, the raw windows (and rollups) the ragged
 * ends. A coarse level is used only where each of its rows falls in a single requested bucket: its grain
 * divides the bucket size (buckets are aligned to the epoch, as the aggregates are), or the whole range is
 * one bucket. So a query reads about (buckets + a few) rows per layer, expert and domain, however many
 * windows lie underneath.
 *
 * <pre>
 * from      fiveFrom    hourFrom              hourTo      fiveTo     to
 *  | raw      | 5 minutes  | hours                | 5 minutes | raw     |
 * </pre>
 */
record ReadLevels(Instant fiveFrom, Instant hourFrom, Instant hourTo, Instant fiveTo) {

    /** @param bucketSeconds the bucket size, or {@link RoutingStatsRepository#WHOLE_RANGE} */
    static ReadLevels of(Instant from, Instant to, long bucketSeconds) {
        boolean whole = bucketSeconds == RoutingStatsRepository.WHOLE_RANGE;
        if (!whole && bucketSeconds % FIVE_MINUTES != 0) {
            return new ReadLevels(to, to, to, to); // all raw
        }
        Instant fiveFrom = min(ceil(from, FIVE_MINUTES), to);
        Instant fiveTo = max(floor(to, FIVE_MINUTES), fiveFrom);
        if (!whole && bucketSeconds % HOUR != 0) {
            return new ReadLevels(fiveFrom, fiveTo, fiveTo, fiveTo); // raw and 5 minutes
        }
        Instant hourFrom = min(ceil(fiveFrom, HOUR), fiveTo);
        Instant hourTo = max(floor(fiveTo, HOUR), hourFrom);
        return new ReadLevels(fiveFrom, hourFrom, hourTo, fiveTo);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
