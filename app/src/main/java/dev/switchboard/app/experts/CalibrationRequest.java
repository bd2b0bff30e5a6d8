package dev.switchboard.app.experts;

import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /api/admin/experts/contributed/{plugin}/{name}/calibrate}: text from the domain the contributed
 * expert is for, and optionally other text to check that the fit does not cost elsewhere.
 *
 * @param text calibration text: the first part fits the router rows, the last fifth (at least one window) is held out
 *     and measured
 * @param other text from other domains, measured only; null: a built-in sample of English prose, code and arithmetic
 * @param steps Adam steps (default 20, at most 200)
 * @param learningRate Adam step size on the rows (default 0.01, above 0 and at most 1)
 */
record CalibrationRequest(@Nullable String text, @Nullable String other, @Nullable Integer steps,
        @Nullable Float learningRate) {

    /** The most characters each text may have (the body as a whole is also bounded, 413). */
    static final int MAX_CHARS = 50_000;
    static final int DEFAULT_STEPS = 20;
    static final int MAX_STEPS = 200;
    static final float DEFAULT_LEARNING_RATE = 0.01f;

    /** The request with its defaults, or 400 naming the field that is wrong and what it must be. */
    CalibrationRequest checked() {
        if (text == null || text.isBlank()) {
            throw ExpertErrors.invalid("text", "'text' is required: calibration text from the domain the expert is for");
        }
        within("text", text);
        if (other != null) {
            if (other.isBlank()) {
                throw ExpertErrors.invalid("other", "'other' is blank; leave it out to measure on the built-in sample");
            }
            within("other", other);
        }
        int stepCount = steps == null ? DEFAULT_STEPS : steps;
        if (stepCount < 1 || stepCount > MAX_STEPS) {
            throw ExpertErrors.invalid("steps", "'steps' must be 1.." + MAX_STEPS + ", got " + stepCount);
        }
        float rate = learningRate == null ? DEFAULT_LEARNING_RATE : learningRate;
        if (!(rate > 0 && rate <= 1)) {
            throw ExpertErrors.invalid("learningRate", "'learningRate' must be above 0 and at most 1, got " + rate);
        }
        return new CalibrationRequest(text, other, stepCount, rate);
    }

    private static void within(String field, String value) {
        if (value.length() > MAX_CHARS) {
            throw ExpertErrors.invalid(field, "'" + field + "' has " + value.length() + " characters; at most " + MAX_CHARS
                    + " are taken");
        }
    }
}
