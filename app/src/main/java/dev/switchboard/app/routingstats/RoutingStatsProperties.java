package dev.switchboard.app.routingstats;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Routing statistics settings under {@value #PREFIX}.
 *
 * @param enabled record statistics at all (off: every record call returns at once)
 * @param instance name of this instance in the database; a per-boot suffix is appended so a restart
 *     never overwrites the windows its predecessor wrote. Null: the host name
 * @param window length of one statistics window (whole seconds)
 * @param flushInterval how often the flusher closes due windows and writes what is buffered
 * @param writeTimeout how long one database write may take before it counts as failed
 * @param shutdownFlushTimeout at shutdown, the longest the final write of the open window and everything
 *     buffered may take (part of the shutdown budget, see docs/STATISTICS.md); what is not written by then is lost
 * @param bufferBudget memory for closed windows not yet written; past it adjacent windows are merged
 * @param recordBudget memory for each queue of requests, traces and events not yet written
 * @param traceSampleRate fraction of requests whose per-token routing is traced (0 to 1)
 * @param retention how long raw windows, aggregates, traces and requests are kept
 */
@ConfigurationProperties(RoutingStatsProperties.PREFIX)
record RoutingStatsProperties(
        @DefaultValue("true") boolean enabled,
        @Nullable String instance,
        @DefaultValue("10s") Duration window,
        @DefaultValue("1s") Duration flushInterval,
        @DefaultValue("10s") Duration writeTimeout,
        @DefaultValue("3s") Duration shutdownFlushTimeout,
        @DefaultValue("32MB") DataSize bufferBudget,
        @DefaultValue("16MB") DataSize recordBudget,
        @DefaultValue("0.01") double traceSampleRate,
        @DefaultValue Retention retention) {

    static final String PREFIX = "switchboard.stats";

    RoutingStatsProperties {
        if (window.isNegative() || window.toMillis() < 1000 || window.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException(PREFIX + ".window must be a whole number of seconds >= 1s, found " + window);
        }
        if (traceSampleRate < 0 || traceSampleRate > 1) {
            throw new IllegalArgumentException(PREFIX + ".trace-sample-rate must be between 0 and 1, found " + traceSampleRate);
        }
        if (flushInterval.isNegative() || flushInterval.isZero() || writeTimeout.isNegative() || writeTimeout.isZero()
                || shutdownFlushTimeout.isNegative() || shutdownFlushTimeout.isZero()) {
            throw new IllegalArgumentException(PREFIX + ".flush-interval, write-timeout and shutdown-flush-timeout must be > 0, found "
                    + flushInterval + ", " + writeTimeout + " and " + shutdownFlushTimeout);
        }
        if (retention.aggregates().compareTo(retention.rawAge()) < 0) {
            throw new IllegalArgumentException(PREFIX + ".retention.aggregates (" + retention.aggregates()
                    + ") must be at least retention.raw-age (" + retention.rawAge() + "): raw windows are rolled up before they are pruned");
        }
        if (retention.rollupBucket().compareTo(window) < 0 || retention.rollupBucket().toMillis() % 1000 != 0) {
            throw new IllegalArgumentException(PREFIX + ".retention.rollup-bucket must be whole seconds and at least the window ("
                    + window + "), found " + retention.rollupBucket());
        }
    }

    /** Defaults, for code that builds the statistics without Spring (tests, benchmarks). */
    static RoutingStatsProperties defaults() {
        return new RoutingStatsProperties(true, null, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofSeconds(3), DataSize.ofMegabytes(32), DataSize.ofMegabytes(16), 0.01, Retention.defaults());
    }

    RoutingStatsProperties withBufferBudget(DataSize budget) {
        return new RoutingStatsProperties(enabled, instance, window, flushInterval, writeTimeout, shutdownFlushTimeout, budget, recordBudget,
                traceSampleRate, retention);
    }

    RoutingStatsProperties withTraceSampleRate(double rate) {
        return new RoutingStatsProperties(enabled, instance, window, flushInterval, writeTimeout, shutdownFlushTimeout, bufferBudget, recordBudget,
                rate, retention);
    }

    RoutingStatsProperties withShutdownFlushTimeout(Duration timeout) {
        return new RoutingStatsProperties(enabled, instance, window, flushInterval, writeTimeout, timeout, bufferBudget, recordBudget,
                traceSampleRate, retention);
    }

    RoutingStatsProperties withRetention(Retention kept) {
        return new RoutingStatsProperties(enabled, instance, window, flushInterval, writeTimeout, shutdownFlushTimeout, bufferBudget, recordBudget,
                traceSampleRate, kept);
    }

    long windowSeconds() {
        return window.toSeconds();
    }

    /**
     * @param rawAge raw windows older than this are rolled up into {@code rollupBucket} buckets and deleted
     * @param rollupBucket size of a rollup bucket (whole seconds)
     * @param aggregates rollups and the pre-aggregated totals (5-minute, hourly, per-minute) older than this are deleted,
     *     by whole hours that are also whole rollup buckets; at least {@code rawAge}
     * @param traces token traces (and their per-hour and per-day token counts) older than this are deleted, by whole UTC days
     * @param requests request rows older than this are deleted
     * @param interval how often retention runs
     */
    record Retention(
            @DefaultValue("1d") Duration rawAge,
            @DefaultValue("1h") Duration rollupBucket,
            @DefaultValue("30d") Duration aggregates,
            @DefaultValue("7d") Duration traces,
            @DefaultValue("30d") Duration requests,
            @DefaultValue("10m") Duration interval) {

        static Retention defaults() {
            return new Retention(Duration.ofDays(1), Duration.ofHours(1), Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(30), Duration.ofMinutes(10));
        }
    }
}
