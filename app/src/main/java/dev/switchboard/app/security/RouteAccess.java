package dev.switchboard.app.security;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Every route the service answers, with who may call it. A path not listed here answers 404 to everyone, and a
 * listed path with another method 405, before any credentials are looked at ({@link UnknownRouteFilter}); so
 * nothing unlisted ever runs. Add a route here in the same change that adds its controller.
 */
final class RouteAccess {

    /** One row of the table; {@code method} null means any method. */
    record Rule(@Nullable HttpMethod method, String pattern, Access access) {

        /** HEAD is a GET without the body (WebFlux answers it from the GET handler): probes that use it get GET's access. */
        boolean allows(HttpMethod requested) {
            return method == null || method.equals(requested) || (method.equals(HttpMethod.GET) && requested.equals(HttpMethod.HEAD));
        }
    }

    static final List<Rule> RULES = List.of(
            // Probes: liveness and readiness must answer without credentials.
            new Rule(HttpMethod.GET, "/actuator/health", Access.PUBLIC),
            new Rule(HttpMethod.GET, "/actuator/health/**", Access.PUBLIC),
            // API description and its UI (springdoc).
            new Rule(HttpMethod.GET, "/v3/api-docs", Access.PUBLIC),
            new Rule(HttpMethod.GET, "/v3/api-docs/**", Access.PUBLIC),
            new Rule(HttpMethod.GET, "/swagger-ui.html", Access.PUBLIC),
            new Rule(HttpMethod.GET, "/swagger-ui/**", Access.PUBLIC),
            new Rule(HttpMethod.GET, "/webjars/swagger-ui/**", Access.PUBLIC),
            // The dashboard's static files; the data behind it comes from the routes below.
            new Rule(HttpMethod.GET, "/", Access.PUBLIC),
            new Rule(HttpMethod.GET, "/index.html", Access.PUBLIC),
            new Rule(HttpMethod.GET, "/assets/**", Access.PUBLIC),
            new Rule(HttpMethod.GET, "/favicon.ico", Access.PUBLIC),
            // OpenAI-compatible inference.
            new Rule(HttpMethod.GET, "/v1/models", Access.INFERENCE),
            new Rule(HttpMethod.GET, "/v1/models/*", Access.INFERENCE),
            new Rule(HttpMethod.POST, "/v1/chat/completions", Access.INFERENCE),
            new Rule(HttpMethod.POST, "/v1/completions", Access.INFERENCE),
            // Routing playground: the prefill's routing trace.
            new Rule(HttpMethod.POST, "/api/route", Access.INFERENCE),
            // Anything that changes server state, and the rest of actuator (metrics, env, ...).
            // Routing statistics are operator data (usage by domain, sampled token texts): admin only.
            new Rule(HttpMethod.GET, "/api/stats/**", Access.ADMIN),
            new Rule(null, "/api/admin/**", Access.ADMIN),
            new Rule(null, "/actuator/**", Access.ADMIN));

    private static final List<PathPattern> PATTERNS =
            RULES.stream().map(rule -> PathPatternParser.defaultInstance.parse(rule.pattern())).toList();

    /** The rules whose path pattern matches {@code path}, whatever their method; empty for an unknown path. */
    static List<Rule> matching(PathContainer path) {
        List<Rule> found = new ArrayList<>();
        for (int i = 0; i < RULES.size(); i++) {
            if (PATTERNS.get(i).matches(path)) {
                found.add(RULES.get(i));
            }
        }
        return found;
    }

    private RouteAccess() {}
}
