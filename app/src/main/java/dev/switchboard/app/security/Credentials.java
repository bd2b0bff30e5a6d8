package dev.switchboard.app.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The known secrets, held only as SHA-256 digests and compared in constant time
 * ({@link MessageDigest#isEqual}) so a timing probe learns nothing. Secrets are never logged.
 */
final class Credentials {

    /** What a presented secret turned out to be. */
    enum Match {
        ADMIN,
        INFERENCE_KEY,
        UNKNOWN
    }

    private final byte[] adminDigest;
    private final List<byte[]> apiKeyDigests;

    Credentials(String adminToken, List<String> apiKeySha256) {
        this.adminDigest = sha256(adminToken);
        this.apiKeyDigests = apiKeySha256.stream().map(hex -> HexFormat.of().parseHex(hex.toLowerCase())).toList();
    }

    boolean apiKeysRequired() {
        return !apiKeyDigests.isEmpty();
    }

    Match match(String presented) {
        byte[] digest = sha256(presented);
        if (MessageDigest.isEqual(digest, adminDigest)) {
            return Match.ADMIN;
        }
        boolean key = false;
        for (byte[] known : apiKeyDigests) {
            key |= MessageDigest.isEqual(digest, known); // no early exit: time does not depend on which key matched
        }
        return key ? Match.INFERENCE_KEY : Match.UNKNOWN;
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
