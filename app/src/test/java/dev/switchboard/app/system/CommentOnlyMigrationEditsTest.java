package dev.switchboard.app.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.app.system.CommentOnlyMigrationEdits.Edit;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Arrays;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database migrated before a landed migration's comments were corrected still starts, and a real change to a
 * landed migration is still refused. Real PostgreSQL, the real migrations on the class path.
 */
class CommentOnlyMigrationEditsTest {

    @TempDir
    static Path directory;

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().setDataDirectory(directory.resolve("pg")).start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void theRecordedChecksumsAreTheOnesFlywayComputesForTheCorrectedFiles() {
        Flyway flyway = flyway("current", true);
        flyway.migrate();
        for (Edit edit : CommentOnlyMigrationEdits.EDITS) {
            assertThat(applied(flyway, edit.version()).getChecksum()).as("V" + edit.version()).isEqualTo(edit.checksumAfter());
        }
    }

    @Test
    void aDatabaseMigratedBeforeTheCorrectionStarts() throws Exception {
        Flyway flyway = flyway("before_correction", true);
        flyway.migrate();
        Edit edit = CommentOnlyMigrationEdits.EDITS.get(0);
        recordChecksum("before_correction", edit.version(), edit.checksumBefore());

        assertThatThrownBy(() -> flyway("before_correction", false).migrate())
                .as("without the edits Flyway refuses the old checksum").isInstanceOf(FlywayValidateException.class);
        flyway.migrate();
        assertThat(applied(flyway, edit.version()).getChecksum()).isEqualTo(edit.checksumAfter());
    }

    @Test
    void aRealChangeToALandedMigrationIsStillRefused() throws Exception {
        Flyway flyway = flyway("changed", true);
        flyway.migrate();
        recordChecksum("changed", "2", 12345);

        assertThatThrownBy(flyway::migrate).isInstanceOf(FlywayValidateException.class).hasMessageContaining("checksum");
    }

    private static Flyway flyway(String schema, boolean withEdits) {
        DataSource dataSource = postgres.getPostgresDatabase();
        var configuration = Flyway.configure().dataSource(dataSource).schemas(schema).locations("classpath:db/migration");
        if (withEdits) {
            configuration.callbacks(new CommentOnlyMigrationEdits());
        }
        return configuration.load();
    }

    private static MigrationInfo applied(Flyway flyway, String version) {
        return Arrays.stream(flyway.info().applied()).filter(m -> m.getVersion() != null && m.getVersion().getVersion().equals(version)).findFirst().orElseThrow();
    }

    private static void recordChecksum(String schema, String version, int checksum) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE \"" + schema + "\".flyway_schema_history SET checksum = ? WHERE version = ?")) {
            update.setInt(1, checksum);
            update.setString(2, version);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }
}
