package dev.switchboard.tools.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.tools.ToolRun;
import org.junit.jupiter.api.Test;

/** The resume flags of {@code train} refuse combinations that would lose or misplace a run's state. */
class TrainArgumentsTest {

    @Test
    void stoppingWithoutSavingIsAUsageMistake() {
        ToolRun run = ToolRun.of("train", "--recipe", "r.json", "--out", "o", "--stop-after", "5");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--stop-after needs --save-state");
    }

    @Test
    void aResumeSavesIntoTheFolderItResumes() {
        ToolRun run = ToolRun.of("train", "--recipe", "r.json", "--out", "o", "--resume", "a", "--save-state", "b");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--resume saves into the folder it resumes");
    }

    @Test
    void stopAfterMustBePositive() {
        ToolRun run = ToolRun.of("train", "--recipe", "r.json", "--out", "o", "--save-state", "s", "--stop-after", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--stop-after must be positive");
    }

    @Test
    void helpNamesTheResumeFlags() {
        String help = ToolRun.of("train", "--help").stdout();

        assertThat(help).contains("[--save-state DIR]").contains("[--stop-after N]").contains("[--resume DIR]");
    }
}
