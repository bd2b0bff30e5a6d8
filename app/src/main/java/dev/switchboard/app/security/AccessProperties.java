package dev.switchboard.app.security;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call what, under {@value #PREFIX}.
 *
 * @param apiKeySha256 hex SHA-256 digests of the inference API keys ({@code printf %s "$KEY" | sha256sum});
 *     empty: inference routes are open to anyone who can reach the port
 * @param adminToken the admin token ({@code SWITCHBOARD_SECURITY_ADMIN_TOKEN}); {@code null}: one is
 *     generated at start and logged once
 * @param corsAllowedOrigins origins allowed to call the inference routes from a browser; empty: CORS closed
 */
@ConfigurationProperties(AccessProperties.PREFIX)
public record AccessProperties(
        @DefaultValue List<String> apiKeySha256, @Nullable String adminToken, @DefaultValue List<String> corsAllowedOrigins) {

    public static final String PREFIX = "switchboard.security";

    public AccessProperties {
        for (String digest : apiKeySha256) {
            if (!digest.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException(PREFIX + ".api-key-sha256 entries must be 64 hex digits (a SHA-256 "
                        + "digest of the key), found one of " + digest.length() + " characters");
            }
        }
        if (adminToken != null && adminToken.isBlank()) {
            adminToken = null;
        }
    }
}
