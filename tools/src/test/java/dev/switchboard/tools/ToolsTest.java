package dev.switchboard.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The conventions every tool shares: help, exit statuses, and where messages go. */
class ToolsTest {

    @Test
    void theJarDispatchesTheseTools() {
        assertThat(Tools.builtIn().names()).containsExactly("generate", "bench", "loadgen", "train", "eval", "lab", "make-checkpoint", "calibrate");
        assertThat(Tools.builtIn().runs(new String[] {"generate", "--help"})).isTrue();
        assertThat(Tools.builtIn().runs(new String[] {"--server.port=0"})).isFalse();
        assertThat(Tools.builtIn().runs(new String[0])).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"generate", "bench", "loadgen", "train", "eval", "lab", "make-checkpoint", "calibrate"})
    void everyToolExplainsItselfOnHelp(String tool) {
        ToolRun run = ToolRun.of(tool, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stderr()).isEmpty();
        assertThat(run.stdout()).startsWith("usage: " + tool + " ").contains("-h, --help").contains("Options:");
    }

    @Test
    void generateHelpShowsTheFixedInterfaceAndEveryOption() {
        String help = ToolRun.of("generate", "--help").stdout().replaceAll("\\s+", " ");

        assertThat(help).startsWith("usage: generate --model DIR (--prompt TEXT | --prompt-ids 1,2,3) --max-tokens N"
                + " [--temperature T] [--top-p P] [--seed S] [--json] [--trace] [--logits]");
        for (String option : new String[] {"--model DIR", "--prompt TEXT", "--prompt-ids ID[,ID...]", "--max-tokens N", "--temperature T",
                "--top-p P", "--seed S", "--json", "--trace", "--logits"}) {
            assertThat(help).contains(option);
        }
    }

    @Test
    void anUnknownOptionIsAUsageMistakeNamingItWithASuggestion() {
        ToolRun run = ToolRun.of("bench", "--model", "m", "--modle", "x");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains("error: ").contains("'--modle'").contains("--model").contains("usage: bench ");
    }

    @Test
    void aMalformedNumberIsAUsageMistakeNamingTheOption() {
        ToolRun run = ToolRun.of("bench", "--model", "x", "--batches", "1,x");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--batches").contains("'x'");
    }

    @Test
    void aMissingRequiredOptionIsAUsageMistake() {
        ToolRun run = ToolRun.of("loadgen", "--requests", "3");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--url").contains("usage: loadgen ");
    }

    @Test
    void loadgenRefusesANegativeLongPromptLengthBeforeSendingAnything() {
        ToolRun run = ToolRun.of("loadgen", "--url", "http://127.0.0.1:9", "--long-prompt-tokens", "-5");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--long-prompt-tokens").contains("usage: loadgen ");
    }

    @Test
    void aFailureOfTheWorkIsExitStatusOneWithTheMessage(@TempDir Path empty) {
        ToolRun run = ToolRun.of("generate", "--model", empty.resolve("missing").toString(), "--prompt-ids", "1", "--max-tokens", "2");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).startsWith("error: ").contains("missing");
    }

    @Test
    void aNameThatIsNoToolIsAUsageMistakeListingTheTools() {
        ToolRun run = ToolRun.of("generat");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("generate, bench, loadgen, train, eval, lab, make-checkpoint, calibrate");
    }
}
