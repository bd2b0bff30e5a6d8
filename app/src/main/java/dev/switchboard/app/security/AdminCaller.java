package dev.switchboard.app.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import reactor.core.publisher.Mono;

/**
 * Whether the current request presented the admin token, for the few request fields only the operator may
 * use on routes that inference keys open (a routing override, docs/API.md#routing-override). Read from the
 * request's security context, so the Mono must be part of the chain a handler returns.
 */
public final class AdminCaller {

    private AdminCaller() {}

    public static Mono<Boolean> isAdmin() {
        return ReactiveSecurityContextHolder.getContext()
                .flatMap(context -> Mono.justOrEmpty(context.getAuthentication()))
                .map(AdminCaller::isAdmin)
                .defaultIfEmpty(false);
    }

    private static boolean isAdmin(Authentication authentication) {
        return authentication.isAuthenticated() && authentication.getAuthorities().stream()
                .anyMatch(authority -> BearerTokenConverter.ROLE_ADMIN.equals(authority.getAuthority()));
    }
}
