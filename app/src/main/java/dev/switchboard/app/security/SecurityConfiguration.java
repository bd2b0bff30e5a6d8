package dev.switchboard.app.security;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.errors.OpenAiErrorBody;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity.AuthorizeExchangeSpec;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.OrServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.PathPatternParserServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import reactor.core.publisher.Mono;

/**
 * Deny by default: the routes of {@link RouteAccess} get their access level, unknown paths 404 for everyone.
 * Stateless (no session, no cookies), so CSRF tokens have nothing to protect and are off; credentials travel
 * as bearer tokens. What a browser can still send cross-site without credentials is stopped by
 * {@link ForeignOriginFilter} and {@link JsonBodyFilter}. Failures answer in OpenAI's error shape (401 with
 * {@code WWW-Authenticate: Bearer}, 403, 404, 405, 415, and 400 for the firewall's refusals).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    Credentials credentials(AccessProperties properties) {
        String adminToken = properties.adminToken();
        if (adminToken == null) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            adminToken = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            // Printed this once so the operator can use it; set switchboard.security.admin-token to choose one.
            log.warn("No admin token configured (switchboard.security.admin-token / SWITCHBOARD_SECURITY_ADMIN_TOKEN); "
                    + "generated for this run: {}", adminToken);
        }
        return new Credentials(adminToken, properties.apiKeySha256());
    }

    /** Also keeps Spring Boot from creating (and logging) a default user with a generated password. */
    @Bean
    ReactiveAuthenticationManager bearerAuthenticationManager() {
        return authentication -> authentication.isAuthenticated()
                ? Mono.just(authentication)
                : Mono.error(new BadCredentialsException("unknown key"));
    }

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, Credentials credentials,
            ReactiveAuthenticationManager manager, AccessProperties properties) {
        AuthenticationWebFilter bearer = new AuthenticationWebFilter(manager);
        bearer.setServerAuthenticationConverter(publicRoutesIgnoreUnknownKeys(new BearerTokenConverter(credentials)));
        bearer.setAuthenticationFailureHandler((exchange, failure) ->
                unauthorized(exchange.getExchange().getResponse(), "Incorrect API key provided"));

        http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .addFilterBefore(new ForeignOriginFilter(properties.corsAllowedOrigins()), SecurityWebFiltersOrder.CORS)
                .addFilterBefore(new UnknownRouteFilter(), SecurityWebFiltersOrder.AUTHENTICATION)
                .addFilterAt(bearer, SecurityWebFiltersOrder.AUTHENTICATION)
                .addFilterAfter(new JsonBodyFilter(), SecurityWebFiltersOrder.AUTHORIZATION)
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((exchange, denied) -> unauthorized(exchange.getResponse(),
                                "This route needs credentials: send Authorization: Bearer <key>"))
                        .accessDeniedHandler((exchange, denied) -> OpenAiErrorBody.write(exchange.getResponse(),
                                new ApiException(HttpStatus.FORBIDDEN, "permission_error", null, "insufficient_permissions",
                                        "These credentials do not open this route", null))))
                .authorizeExchange(exchanges -> applyRouteTable(exchanges, credentials.apiKeysRequired()));
        if (properties.corsAllowedOrigins().isEmpty()) {
            http.cors(ServerHttpSecurity.CorsSpec::disable);
        } else {
            http.cors(cors -> cors.configurationSource(corsSource(properties.corsAllowedOrigins())));
        }
        return http.build();
    }

    /**
     * On public routes a key that matches nothing leaves the caller anonymous instead of failing with 401: probes
     * and the dashboard must answer whatever header a client or proxy adds. A valid admin token still
     * authenticates there, which is what shows health details.
     */
    private static ServerAuthenticationConverter publicRoutesIgnoreUnknownKeys(ServerAuthenticationConverter converter) {
        ServerWebExchangeMatcher publicRoutes = new OrServerWebExchangeMatcher(RouteAccess.RULES.stream()
                .filter(rule -> rule.access() == Access.PUBLIC)
                .map(SecurityConfiguration::matcher)
                .toList());
        return exchange -> publicRoutes.matches(exchange).flatMap(match -> match.isMatch()
                ? converter.convert(exchange).filter(Authentication::isAuthenticated)
                : converter.convert(exchange));
    }

    /** The firewall's refusals ({@code %00}, {@code ..}, {@code TRACE}, ...) as 400 in OpenAI's shape, not an empty body. */
    @Bean
    ServerExchangeRejectedHandler openAiShapedFirewallRejections() {
        return (exchange, rejected) -> OpenAiErrorBody.write(exchange.getResponse(),
                ApiException.invalid(null, "request_rejected", rejected.getMessage()));
    }

    private static void applyRouteTable(AuthorizeExchangeSpec exchanges, boolean apiKeysRequired) {
        for (RouteAccess.Rule rule : RouteAccess.RULES) {
            AuthorizeExchangeSpec.Access access = exchanges.matchers(matcher(rule));
            switch (rule.access()) {
                case PUBLIC -> access.permitAll();
                case INFERENCE -> {
                    if (apiKeysRequired) {
                        access.hasAuthority(BearerTokenConverter.ROLE_INFERENCE);
                    } else {
                        access.permitAll();
                    }
                }
                case ADMIN -> access.hasAuthority(BearerTokenConverter.ROLE_ADMIN);
            }
        }
        exchanges.anyExchange().denyAll();
    }

    /** The rule's path and method, as {@link RouteAccess.Rule#allows} reads them (HEAD with GET). */
    private static ServerWebExchangeMatcher matcher(RouteAccess.Rule rule) {
        ServerWebExchangeMatcher path = new PathPatternParserServerWebExchangeMatcher(rule.pattern());
        return exchange -> path.matches(exchange).filter(match -> match.isMatch()
                && rule.allows(exchange.getRequest().getMethod())).switchIfEmpty(MatchResult.notMatch());
    }

    private static Mono<Void> unauthorized(ServerHttpResponse response, String message) {
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return OpenAiErrorBody.write(response, new ApiException(HttpStatus.UNAUTHORIZED, "authentication_error", null,
                "invalid_api_key", message, null));
    }

    private static UrlBasedCorsConfigurationSource corsSource(List<String> origins) {
        CorsConfiguration inference = new CorsConfiguration();
        inference.setAllowedOrigins(origins);
        inference.setAllowedMethods(List.of("GET", "POST"));
        inference.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "X-Api-Key"));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/v1/**", inference);
        source.registerCorsConfiguration("/api/route", inference);
        return source;
    }
}
