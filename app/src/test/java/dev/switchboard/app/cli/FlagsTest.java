package dev.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shared flag reader of the command-line tools (bench, bench-stats, loadgen, train). */
class FlagsTest {

    private static final Set<String> KNOWN = Set.of("--model", "--batches", "--steps", "--tokens", "--baseline");

    @Test
    void readsValuesAndFallsBackToDefaults() {
        Flags flags = Flags.parse(List.of("--model", "/m", "--batches", "1, 4,16", "--tokens", "5000000000"), KNOWN);
        assertThat(flags.path("--model")).isEqualTo(Path.of("/m"));
        assertThat(flags.integers("--batches", new int[] {8})).containsExactly(1, 4, 16);
        assertThat(flags.longInteger("--tokens", 1)).isEqualTo(5_000_000_000L);
        assertThat(flags.integer("--steps", 32)).isEqualTo(32);
        assertThat(flags.yesNo("--baseline", true)).isTrue();
        assertThat(flags.text("--missing")).isNull();
    }

    @Test
    void mistakesNameTheFlag() {
        assertThatThrownBy(() -> Flags.parse(List.of("--modle", "x"), KNOWN)).hasMessage("unknown argument '--modle'");
        assertThatThrownBy(() -> Flags.parse(List.of("--model"), KNOWN)).hasMessage("--model needs a value");
        assertThatThrownBy(() -> Flags.parse(List.of("--steps", "1", "--steps", "2"), KNOWN)).hasMessage("--steps is given twice");
        Flags flags = Flags.parse(List.of("--steps", "many", "--batches", "1,x", "--baseline", "maybe", "--tokens", "9999999999"), KNOWN);
        assertThatThrownBy(() -> flags.integer("--steps", 1)).hasMessage("--steps needs a number, got 'many'");
        assertThatThrownBy(() -> flags.integers("--batches", new int[0])).hasMessageContaining("--batches needs comma-separated numbers");
        assertThatThrownBy(() -> flags.yesNo("--baseline", true)).hasMessage("--baseline is yes or no, got 'maybe'");
        assertThatThrownBy(() -> flags.integer("--tokens", 1)).hasMessage("--tokens needs a number, got '9999999999'");
    }
}
