package dev.switchboard.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application started as an operator would ({@code java -jar switchboard.jar}) on a corrupt model
 * checkpoint (a weights file cut short, as by an interrupted download) ends start-up: the process exits with a
 * non-zero code, and its last line on stderr names the problem and the setting to change.
 */
class CorruptCheckpointStartupIT {

    private static final Path JAR = Path.of("target/switchboard.jar");
    private static final Path FIXTURE = Path.of("../router-service/src/test/resources/fixtures/tiny-gqa-top2");

    @TempDir
    Path tmp;

    @Test
    void aTruncatedWeightsFileEndsStartUpWithOneLineNamingTheFileAndTheSetting() throws Exception {
        Path model = Files.createDirectories(tmp.resolve("tiny-gqa-top2"));
        try (Stream<Path> files = Files.list(FIXTURE)) {
            for (Path file : files.toList()) {
                Files.copy(file, model.resolve(file.getFileName()));
            }
        }
        Path weights = model.resolve("model.safetensors");
        try (FileChannel channel = FileChannel.open(weights, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 2);
        }
        Path stdout = tmp.resolve("app.out");
        Path stderr = tmp.resolve("app.err");

        Process app = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "--server.port=0", "--switchboard.data-dir=" + tmp.resolve("data"),
                "--switchboard.model=" + model))
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        boolean exited = app.waitFor(180, TimeUnit.SECONDS);
        if (!exited) {
            app.destroyForcibly().waitFor();
        }

        String errors = Files.readString(stderr, StandardCharsets.UTF_8);
        assertThat(exited).as("the process ended by itself; stdout:%n%s", Files.readString(stdout, StandardCharsets.UTF_8))
                .isTrue();
        assertThat(app.exitValue()).as(errors).isNotZero();
        List<String> lines = errors.lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).isNotEmpty();
        assertThat(lines.get(lines.size() - 1))
                .startsWith("Switchboard failed to start: The model tiny-gqa-top2 in " + model.toAbsolutePath().normalize()
                        + " cannot be loaded: ")
                .contains("model.safetensors")
                .endsWith("Change the setting switchboard.model (env SWITCHBOARD_MODEL).");
    }
}
