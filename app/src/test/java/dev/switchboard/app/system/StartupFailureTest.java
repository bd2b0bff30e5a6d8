package dev.switchboard.app.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.app.SwitchboardApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

/** Bad configuration ends start-up with one readable reason that names the setting to change. */
class StartupFailureTest {

    @TempDir
    Path tmp;

    @Test
    void anUnreachableDatabaseUrlFailsFastNamingTheSetting() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // free now, nothing listens after close
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/switchboard";

        StartupConfigurationException failure = startupFailure("--switchboard.db.url=" + url);

        assertThat(failure.getMessage()).contains("Cannot connect to the database at " + url);
        assertThat(failure.setting()).contains("switchboard.db.url").contains("SWITCHBOARD_DB_URL");
        assertThat(oneLine(failure)).doesNotContain("\n").contains(url).contains("switchboard.db.url");
    }

    @Test
    void aNonPostgresUrlIsRejectedBeforeConnecting() {
        StartupConfigurationException failure = startupFailure("--switchboard.db.url=mysql://db/x");

        assertThat(failure.getMessage()).contains("is not a PostgreSQL JDBC URL");
    }

    @Test
    void aDataDirectoryThatIsAFileIsReportedAsAFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-directory"), "x");

        StartupConfigurationException failure = startupFailure("--switchboard.data-dir=" + file);

        assertThat(failure.getMessage()).contains(file + " is a file, not a folder");
        assertThat(failure.setting()).contains("switchboard.data-dir");
    }

    @Test
    void aDataDirectoryBelowAFileNamesTheFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-directory"), "x");

        StartupConfigurationException failure = startupFailure("--switchboard.data-dir=" + file.resolve("data"));

        assertThat(failure.getMessage()).contains(file + " is a file, not a folder");
        assertThat(failure.setting()).contains("switchboard.data-dir");
    }

    @Test
    void aFailingInitdbReportsPostgresqlsOwnReason() throws IOException {
        // A postgres folder that is not a cluster and not empty: initdb refuses to touch it.
        Path postgres = Files.createDirectories(tmp.resolve("data").resolve("postgres"));
        Files.writeString(postgres.resolve("someone-elses-file"), "x");

        StartupConfigurationException failure = startupFailure("--switchboard.data-dir=" + tmp.resolve("data"));

        assertThat(failure.getMessage()).contains("exists but is not empty").doesNotContain("another Switchboard");
    }

    @Test
    void aSecondApplicationOnTheDataDirectoryOfARunningOneIsRefused() throws Exception {
        String dataDir = "--switchboard.data-dir=" + tmp.resolve("shared");
        try (ConfigurableApplicationContext first = new SpringApplicationBuilder(SwitchboardApplication.class)
                .run("--server.port=0", dataDir, "--switchboard.model=none")) {

            StartupConfigurationException failure = startupFailure(dataDir, "--switchboard.model=none");

            assertThat(failure.getMessage()).contains("is in use by another running Switchboard");
            assertThat(first.getBean(DatabaseClient.class).sql("SELECT 1").map(row -> row.get(0, Integer.class)).one()
                    .block(Duration.ofSeconds(10))).as("the first application's database still answers").isEqualTo(1);
        }
    }

    @Test
    void aPortInUseFailsNamingTheSetting() throws IOException {
        try (ServerSocket busy = new ServerSocket(0)) {
            Throwable thrown = catchThrowable(() -> new SpringApplicationBuilder(SwitchboardApplication.class)
                    .run("--server.port=" + busy.getLocalPort(), "--switchboard.data-dir=" + tmp.resolve("data")));

            Throwable cause = thrown;
            while (cause != null && !(cause instanceof org.springframework.boot.web.server.PortInUseException)) {
                cause = cause.getCause();
            }
            assertThat(cause).as("cause chain of %s", thrown).isNotNull();
            FailureAnalysis analysis = new PortInUseFailureAnalyzer().analyze(cause);
            assertThat(OneLineFailureReporter.format(analysis))
                    .contains("Port " + busy.getLocalPort() + " is already in use").contains("server.port").doesNotContain("\n");
        }
    }

    private StartupConfigurationException startupFailure(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--server.port=0";
        System.arraycopy(args, 0, all, 1, args.length);
        Throwable thrown = catchThrowable(() -> new SpringApplicationBuilder(SwitchboardApplication.class).run(all));
        assertThat(thrown).isNotNull();
        Throwable cause = thrown;
        while (cause != null && !(cause instanceof StartupConfigurationException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("cause chain of %s", thrown).isInstanceOf(StartupConfigurationException.class);
        return (StartupConfigurationException) cause;
    }

    /** What an operator sees: the analyzer's report rendered as the one-line reporter does. */
    private static String oneLine(StartupConfigurationException failure) {
        FailureAnalysis analysis = new StartupConfigurationFailureAnalyzer().analyze(failure);
        return OneLineFailureReporter.format(analysis);
    }
}
