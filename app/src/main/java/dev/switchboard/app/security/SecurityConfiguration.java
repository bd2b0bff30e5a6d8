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
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import reactor.core.publisher.Mono;

/**
 * Deny by default: the routes of {@link RouteAccess} get their access level, everything else is denied.
 * Stateless (no session, no cookies), so CSRF protection has nothing to protect and is off; credentials
 * travel as bearer tokens. Failures answer in OpenAI's error shape (401 with {@code WWW-Authenticate: Bearer}, 403).
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
        bearer.setServerAuthenticationConverter(new BearerTokenConverter(credentials));
        bearer.setAuthenticationFailureHandler((exchange, failure) ->
                unauthorized(exchange.getExchange().getResponse(), "Incorrect API key provided"));

        http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .addFilterAt(bearer, SecurityWebFiltersOrder.AUTHENTICATION)
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

    private static void applyRouteTable(AuthorizeExchangeSpec exchanges, boolean apiKeysRequired) {
        for (RouteAccess.Rule rule : RouteAccess.RULES) {
            AuthorizeExchangeSpec.Access access = rule.method() == null
                    ? exchanges.pathMatchers(rule.pattern())
                    : exchanges.pathMatchers(rule.method(), rule.pattern());
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
