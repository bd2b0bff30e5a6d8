package dev.switchboard.app.security;

import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads {@code Authorization: Bearer <secret>} (or llama.cpp's {@code X-Api-Key: <secret>}) and resolves it
 * against {@link Credentials}. An unknown secret is rejected only when API keys are configured: OpenAI SDKs
 * insist on sending some key, so with no keys configured a placeholder key must not break inference.
 */
final class BearerTokenConverter implements ServerAuthenticationConverter {

    static final String ROLE_ADMIN = "ROLE_ADMIN";
    static final String ROLE_INFERENCE = "ROLE_INFERENCE";

    private final Credentials credentials;

    BearerTokenConverter(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        String secret = presentedSecret(exchange.getRequest().getHeaders());
        if (secret == null) {
            return Mono.empty();
        }
        return switch (credentials.match(secret)) {
            case ADMIN -> Mono.just(authenticated("admin", ROLE_ADMIN, ROLE_INFERENCE));
            case INFERENCE_KEY -> Mono.just(authenticated("api-key", ROLE_INFERENCE));
            case UNKNOWN -> credentials.apiKeysRequired()
                    ? Mono.just(UsernamePasswordAuthenticationToken.unauthenticated("unknown-key", null))
                    : Mono.empty();
        };
    }

    private static String presentedSecret(HttpHeaders headers) {
        String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        String apiKey = headers.getFirst("X-Api-Key");
        return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    }

    private static Authentication authenticated(String who, String... roles) {
        List<SimpleGrantedAuthority> authorities = java.util.Arrays.stream(roles).map(SimpleGrantedAuthority::new).toList();
        return UsernamePasswordAuthenticationToken.authenticated(who, null, authorities);
    }
}
