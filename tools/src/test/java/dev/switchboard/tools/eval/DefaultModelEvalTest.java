package dev.switchboard.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code eval} reproduces the shipped model's own held-out measurement in every domain: the corpus is committed
 * ({@code app/src/default-model/corpus/}), so the recipe's seeded split holds out the same documents as when the
 * model was trained and the windows are the same. The tolerance covers the BF16 rounding of the shipped weights;
 * training measured its float32 weights.
 */
class DefaultModelEvalTest {

    private static final Path MODEL = Path.of("../app/src/main/resources/default-model");
    private static final Path RECIPE = Path.of("../app/src/default-model/recipe.json");

    @Test
    void everyDomainsHeldOutLossMatchesTheTrainingReport() throws Exception {
        JsonNode reported = JsonMapper.builder().build().readTree(Files.readString(MODEL.resolve("training-report.json")))
                .get("held_out_loss_by_domain");

        EvalReport eval = EvalCommand.evaluate(CommandLine.populateCommand(new EvalArguments(System.out), "--model", MODEL.toString(),
                "--recipe", RECIPE.toString(), "--windows", "16", "--top-tokens", "0"));

        Map<String, DomainLoss> measured = eval.domains().stream().map(EvalReport.DomainResult::loss)
                .collect(Collectors.toMap(DomainLoss::domain, loss -> loss));
        assertThat(measured.keySet()).containsExactlyInAnyOrderElementsOf(reported.propertyNames());
        for (String domain : reported.propertyNames()) {
            assertThat(measured.get(domain).positions()).as(domain).isEqualTo(16 * 128);
            assertThat(measured.get(domain).natsPerToken()).as(domain).isCloseTo(reported.get(domain).asDouble(), within(0.005));
        }
    }
}
