package dev.switchboard.app.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.app.cli.CliUsageException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The resume flags: where the state goes, and the combinations that would lose a stopped run. */
class TrainArgumentsTest {

    private static final List<String> BASE = List.of("--recipe", "r.json", "--out", "out");

    @Test
    void resumeSavesIntoTheFolderItResumes() {
        TrainArguments arguments = TrainArguments.parse(with("--resume", "state"));
        assertThat(arguments.stateDirectory()).isEqualTo(Path.of("state"));
        assertThat(TrainArguments.parse(with("--save-state", "s", "--stop-after", "5")).stateDirectory()).isEqualTo(Path.of("s"));
        assertThat(TrainArguments.parse(BASE).stateDirectory()).isNull();
    }

    @Test
    void stoppingWithoutSavingIsRefused() {
        assertThatThrownBy(() -> TrainArguments.parse(with("--stop-after", "5")))
                .isInstanceOf(CliUsageException.class).hasMessageContaining("--save-state");
        assertThatThrownBy(() -> TrainArguments.parse(with("--resume", "a", "--save-state", "b")))
                .isInstanceOf(CliUsageException.class);
        assertThatThrownBy(() -> TrainArguments.parse(with("--save-state", "s", "--stop-after", "0")))
                .isInstanceOf(CliUsageException.class);
    }

    private static List<String> with(String... more) {
        List<String> args = new java.util.ArrayList<>(BASE);
        args.addAll(List.of(more));
        return args;
    }
}
