package dev.switchboard.app.routingstats;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * A validated time range and bucket size of a statistics query. Bad input is a 400 that says what was
 * expected, never a 500.
 */
record StatsQuery(Instant from, Instant to, long bucketSeconds) {

    static final Duration DEFAULT_RANGE = Duration.ofHours(1);
    static final long MAX_BUCKETS = 10_000;

    static StatsQuery of(@Nullable String from, @Nullable String to, @Nullable String bucket, Instant now) {
        StatsQuery range = wholeRange(from, to, now);
        Instant start = range.from();
        Instant end = range.to();
        long seconds = bucket == null ? 60 : seconds(bucket);
        if (seconds < 1) {
            throw badRequest("'bucket' must be at least 1s, found " + bucket);
        }
        long buckets = Duration.between(start, end).toSeconds() / seconds;
        if (buckets > MAX_BUCKETS) {
            throw badRequest("the range " + start + " to " + end + " has " + buckets + " buckets of " + seconds
                    + "s; at most " + MAX_BUCKETS + " are allowed: use a larger 'bucket' or a shorter range");
        }
        return new StatsQuery(start, end, seconds);
    }

    /**
     * A range read as one bucket (or not bucketed at all): no bucket count to limit, so a week's domain
     * distribution is not refused for having more than {@link #MAX_BUCKETS} minutes.
     */
    static StatsQuery wholeRange(@Nullable String from, @Nullable String to, Instant now) {
        Instant end = to == null ? now : instant("to", to);
        Instant start = from == null ? end.minus(DEFAULT_RANGE) : instant("from", from);
        if (!start.isBefore(end)) {
            throw badRequest("'from' (" + start + ") must be before 'to' (" + end + ")");
        }
        return new StatsQuery(start, end, RoutingStatsRepository.WHOLE_RANGE);
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw badRequest("'" + name + "' must be an ISO-8601 instant such as 2025-03-01T12:00:00Z, found '" + value + "'");
        }
    }

    /** "90s", "5m", "1h", "1d" or ISO-8601 ("PT5M"). */
    private static long seconds(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) return Duration.parse(value.trim()).toSeconds();
            long amount = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> amount;
                case 'm' -> amount * 60;
                case 'h' -> amount * 3600;
                case 'd' -> amount * 86400;
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw badRequest("'bucket' must be a duration such as 10s, 5m, 1h or PT5M, found '" + value + "'");
        }
    }

    private static ResponseStatusException badRequest(String reason) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
    }
}
