package dev.switchboard.app.security;

/** The access levels of {@link RouteAccess}. */
enum Access {
    /** Anyone, no credentials: health probes, API docs, the dashboard's static files. */
    PUBLIC,
    /** An inference API key when keys are configured (the admin token also works), else anyone. */
    INFERENCE,
    /** The admin token only; inference keys do not open these. */
    ADMIN
}
