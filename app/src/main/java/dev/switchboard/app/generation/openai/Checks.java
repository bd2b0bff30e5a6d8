package dev.switchboard.app.generation.openai;

import dev.switchboard.app.errors.InvalidParameter;
import org.jspecify.annotations.Nullable;

/** Range checks shared by the request records; each failure names the field and the allowed range. */
final class Checks {

    private Checks() {}

    /** {@code value} when in [min, max]; null stays null ("not set"). */
    static @Nullable Long integerIn(String field, @Nullable Long value, long min, long max) {
        if (value != null && (value < min || value > max)) {
            throw InvalidParameter.of(field, "must be between " + min + " and " + max + ", found " + value);
        }
        return value;
    }

    /** {@code value} when in [min, max] ({@code min} excluded when {@code minExclusive}), else {@code fallback} when not set. */
    static double numberIn(String field, @Nullable Double value, double min, boolean minExclusive, double max, double fallback) {
        if (value == null) {
            return fallback;
        }
        boolean belowMin = minExclusive ? value <= min : value < min;
        if (belowMin || value > max || Double.isNaN(value)) {
            throw InvalidParameter.of(field, "must be " + (minExclusive ? "greater than " : "at least ") + min + " and at most "
                    + max + ", found " + value);
        }
        return value;
    }

    /** Refuses a field that would change the output in a way this server does not implement. */
    static InvalidParameter unsupported(String field, String why) {
        return InvalidParameter.of(field, "is not supported by this server: " + why);
    }
}
