package dev.switchboard.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the application leaves its embedded PostgreSQL running on the data directory (pg_ctl
 * detaches it). The next start finds it, sees that no live Switchboard owns it, stops it and serves.
 * (A live owner is refused instead: {@code StartupFailureTest}.)
 */
class KilledApplicationRestartIT {

    @TempDir
    Path workDir;

    @Test
    void theStartAfterKillDashNineStopsTheLeftoverPostgresqlAndServes() throws Exception {
        Path dataDir = workDir.resolve("data");
        long leftover;
        try (AppProcess first = AppProcess.start(workDir, "first", args(dataDir))) {
            first.awaitReady(Duration.ofSeconds(120));
            first.kill();
            leftover = postmasterPid(dataDir);
            assertThat(ProcessHandle.of(leftover).map(ProcessHandle::isAlive)).as("the killed application's PostgreSQL")
                    .contains(true);
        }

        try (AppProcess second = AppProcess.start(workDir, "second", args(dataDir))) {
            second.awaitReady(Duration.ofSeconds(120));

            assertThat(ProcessHandle.of(leftover).map(ProcessHandle::isAlive)).as("the leftover PostgreSQL")
                    .isNotEqualTo(Optional.of(true));
            assertThat(postmasterPid(dataDir)).as("the second start's own PostgreSQL").isNotEqualTo(leftover);
        }
    }

    /** A failed run must not leave a server behind on this machine. */
    @AfterEach
    void stopAnyServerLeftInTheDataDirectory() throws IOException {
        Path pidFile = workDir.resolve("data/postgres/postmaster.pid");
        if (Files.exists(pidFile)) {
            ProcessHandle.of(postmasterPid(workDir.resolve("data"))).ifPresent(ProcessHandle::destroy);
        }
    }

    private String[] args(Path dataDir) {
        return new String[] {"--switchboard.data-dir=" + dataDir, "--switchboard.model=none",
                "--switchboard.plugins-dir=" + workDir.resolve("plugins")};
    }

    private static long postmasterPid(Path dataDir) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim());
    }
}
