package dev.switchboard.app.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An operator runs Switchboard as an unprivileged user on a data directory whose {@code postgres} folder
 * belongs to someone else (created by an earlier run as root, say). initdb cannot take it over; start-up
 * must end with initdb's own reason, not with a guess about another instance.
 */
class InitdbPermissionIT {

    @Test
    void initdbsPermissionErrorIsTheReasonGiven() throws Exception {
        // Needs a folder owned by another user: only root can make one, then run the application as nobody.
        assumeTrue("root".equals(System.getProperty("user.name")), "creating a folder owned by another user needs root");
        Path workDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "initdb-permission");
        Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        UserPrincipalLookupService users = workDir.getFileSystem().getUserPrincipalLookupService();
        Path dataDir = Files.createDirectory(workDir.resolve("data"));
        Path tmp = Files.createDirectory(workDir.resolve("tmp"));
        for (Path ownedByNobody : List.of(dataDir, tmp)) {
            Files.setOwner(ownedByNobody, users.lookupPrincipalByName("nobody"));
        }
        Files.createDirectory(dataDir.resolve("postgres")); // root's, rwxr-xr-x: nobody may read it, not chmod it

        try (AppProcess app = AppProcess.start(workDir, "as-nobody",
                List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"),
                List.of("-Djava.io.tmpdir=" + tmp, "-Duser.home=" + tmp),
                "--switchboard.data-dir=" + dataDir, "--switchboard.model=none", "--switchboard.plugins-dir=" + tmp.resolve("plugins"))) {
            int exit = app.awaitExit(Duration.ofSeconds(120));

            assertThat(exit).as(app.output()).isNotZero();
            String failure = app.output().lines().filter(line -> line.startsWith("Switchboard failed to start:")).findFirst().orElse("");
            assertThat(failure).as(app.output()).contains("could not change permissions of directory").contains("Operation not permitted")
                    .doesNotContain("another Switchboard");
        }
    }
}
