package dev.switchboard.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * A landed Flyway migration is never edited (Flyway would refuse to start on databases that ran the
 * old version): every migration on the class path must match the SHA-256 recorded when it landed in
 * {@code landed-migrations.sha256}. A new migration is added to that file in the change that lands it. The one
 * exception is a comment-only correction, landed together with its old and new Flyway checksums in
 * {@link CommentOnlyMigrationEdits} so that databases that ran the old text still start.
 */
class LandedMigrationsTest {

    @Test
    void everyMigrationIsRecordedAndUnchanged() throws Exception {
        Map<String, String> landed = landed();
        Map<String, String> onClassPath = new LinkedHashMap<>();
        for (Resource migration : new PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/V*.sql")) {
            try (InputStream in = migration.getInputStream()) {
                onClassPath.put(migration.getFilename(), sha256(in.readAllBytes()));
            }
        }

        assertThat(onClassPath).as("migrations on the class path vs landed-migrations.sha256").isEqualTo(landed);
    }

    private static Map<String, String> landed() throws IOException {
        Map<String, String> landed = new LinkedHashMap<>();
        try (InputStream in = LandedMigrationsTest.class.getResourceAsStream("/landed-migrations.sha256")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    String[] hashAndName = line.trim().split("\\s+");
                    landed.put(hashAndName[1], hashAndName[0]);
                }
            }
        }
        return landed;
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
