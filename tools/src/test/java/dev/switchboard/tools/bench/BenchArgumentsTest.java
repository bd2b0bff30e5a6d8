package dev.switchboard.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** List options: a given list replaces the default rather than adding to it, and spaces after commas are allowed. */
class BenchArgumentsTest {

    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void aGivenListReplacesTheDefault() {
        BenchArguments given = CommandLine.populateCommand(new BenchArguments(NOWHERE), "--model", "m", "--batches", "2, 4,16");
        BenchArguments defaults = CommandLine.populateCommand(new BenchArguments(NOWHERE), "--model", "m");

        assertThat(given.batches()).containsExactly(2, 4, 16);
        assertThat(defaults.batches()).containsExactly(1, 8);
        assertThat(defaults.steps()).isEqualTo(32);
        assertThat(defaults.dtype()).isEqualTo("f32");
    }
}
