package dev.switchboard.tools.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.tools.eval.LayerReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every experiment's result survives its JSON file unchanged, under the snake_case names the docs read. */
class ResultFileTest {

    @TempDir
    Path directory;

    @Test
    void aTrainingExperimentRoundTrips() throws Exception {
        Map<String, Long> tokens = new LinkedHashMap<>();
        tokens.put("prose", 1234L);
        tokens.put("code", 99L);
        Map<String, Double> loss = new LinkedHashMap<>();
        loss.put("prose", 4.25);
        loss.put("code", 0.1 + 0.2); // a double whose shortest text form has 17 digits
        TrainingExperiment.Run run = new TrainingExperiment.Run(Variant.switchTop1("capacity factor 1.25", 1.25, 128, 0.01f, 0.001f),
                123_456, 49_152, 61.5, 1,
                List.of(new TrainingExperiment.RoutingPoint(6, List.of(new TrainingExperiment.LayerPoint(0, 6144, 0.25, 1.5, 1, 0.0125),
                        new TrainingExperiment.LayerPoint(1, 6144, 1.0 / 3, 2.0, 0, 0)))),
                List.of(new TrainingExperiment.LossPoint(30, 5.5), new TrainingExperiment.LossPoint(300, 3.25)), loss);
        TrainingExperiment result = new TrainingExperiment("capacity", "app/src/default-model/recipe.json",
                new TrainingExperiment.Settings(300, 16, 64, 64, 2, 4, 8, 1024, 0.003f, 30, 20261123L, tokens), List.of(run));

        Path file = directory.resolve("capacity.json");
        ResultFile.write(file, result);

        assertThat(ResultFile.read(file, TrainingExperiment.class)).isEqualTo(result);
        assertThat(Files.readString(file)).contains("\"active_expert_parameters\" : 49152").contains("\"capacity_factor\" : 1.25")
                .contains("\"loss_by_domain\"").contains("\"dead_experts\" : 1");
    }

    @Test
    void specialisationAndAblationResultsRoundTrip() {
        SpecialisationResult specialisation = new SpecialisationResult("model", "recipe.json", 128, 16, 2, 2, 0.5, 1.0,
                List.of(new SpecialisationResult.Layer(0,
                        List.of(new SpecialisationResult.DomainRouting("code", List.of(0.75, 0.25),
                                new SpecialisationResult.Rates(10, 0.3, 0.6), 0.125)),
                        new SpecialisationResult.Rates(20, 0.2, 0.5),
                        List.of(List.of(new LayerReport.TokenCount("▁the", 7)), List.of()))));
        Map<String, Double> baseline = Map.of("code", 2.5);
        AblationResult ablation = new AblationResult("model", "recipe.json", 128, 16, List.of("code"), baseline,
                List.of(new AblationResult.Ablated(0, 1, Map.of("code", 2.75), Map.of("code", 0.25), Map.of("code", 0.5))));

        ResultFile.write(directory.resolve("specialisation.json"), specialisation);
        ResultFile.write(directory.resolve("ablation.json"), ablation);

        assertThat(ResultFile.read(directory.resolve("specialisation.json"), SpecialisationResult.class)).isEqualTo(specialisation);
        assertThat(ResultFile.read(directory.resolve("ablation.json"), AblationResult.class)).isEqualTo(ablation);
    }

    @Test
    void aFileOfAnotherShapeIsRefusedNamingIt() throws Exception {
        Path file = directory.resolve("other.json");
        Files.writeString(file, "{\"experiment\": [1, 2]}");

        assertThatThrownBy(() -> ResultFile.read(file, TrainingExperiment.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other.json")
                .hasMessageContaining("TrainingExperiment");
    }
}
