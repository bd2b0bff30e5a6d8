package dev.switchboard.app.errors;

/**
 * A request body value that a record refused while Jackson bound it. The record knows only its own fields, not
 * where it sits in the body, so the parameter is completed by {@link BindingErrors} with the JSON path Jackson
 * reports ({@code messages[2]} + {@code role} = {@code messages[2].role}) and named in the message and in
 * {@code param}.
 */
public final class InvalidParameter extends RuntimeException {

    private final String field;
    private final boolean missing;

    private InvalidParameter(String field, String problem, boolean missing) {
        super(problem, null, false, false);
        this.field = field;
        this.missing = missing;
    }

    /**
     * @param field the refused field of the record being bound, or {@code ""} for the whole value
     * @param problem what is wrong, completing {@code '<param>' …}: {@code "must be between 0 and 2, found 3"}
     */
    public static InvalidParameter of(String field, String problem) {
        return new InvalidParameter(field, problem, false);
    }

    /** A required field that is absent or JSON {@code null}. */
    public static InvalidParameter missing(String field) {
        return new InvalidParameter(field, "is required", true);
    }

    /** The 400 for this value bound at {@code path} (empty for the body itself). */
    public ApiException at(String path) {
        String param = path.isEmpty() ? field : field.isEmpty() ? path : path + "." + field;
        String message = missing ? "Missing required parameter: '" + param + "'" : "'" + param + "' " + getMessage();
        return ApiException.invalid(param.isEmpty() ? null : param, message);
    }
}
