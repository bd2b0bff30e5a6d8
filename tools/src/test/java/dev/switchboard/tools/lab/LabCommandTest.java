package dev.switchboard.tools.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.tools.ToolRun;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code lab} experiment end to end through its real command line, on a tiny recipe (two text domains and an
 * arithmetic one) with tiny models and a few steps, so that the whole class runs in seconds.
 */
class LabCommandTest {

    private static final String[] TINY = {"--steps", "2", "--batch", "2", "--window", "16", "--hidden", "16",
            "--layers", "1", "--expert-width", "8"};

    @TempDir
    static Path directory;
    private static Path recipe;

    @BeforeAll
    static void writeRecipe() throws Exception {
        for (int d = 0; d < 8; d++) {
            Files.writeString(directory.resolve("story" + d + ".txt"), ("Once upon a time a fox met a crow number " + d
                    + ". The crow sang and the fox ran away into the wood. ").repeat(4));
            Files.writeString(directory.resolve("code" + d + ".java"), ("int f" + d + "(int x) { return x * " + d
                    + " + 1; }\n").repeat(6));
        }
        recipe = directory.resolve("recipe.json");
        Files.writeString(recipe, """
                {"name": "tiny",
                 "model": {"vocab_size": 320, "hidden_size": 16, "intermediate_size": 16, "num_hidden_layers": 1,
                           "num_attention_heads": 2, "num_key_value_heads": 1, "num_local_experts": 4,
                           "num_experts_per_tok": 2, "rope_theta": 10000.0, "max_position_embeddings": 64},
                 "training": {"steps": 3, "batch_size": 2, "window": 16, "learning_rate": 0.01, "warmup_steps": 0,
                              "weight_decay": 0, "balance_loss_weight": 0.01, "router_z_loss_weight": 0.001,
                              "held_out_share": 0.25, "seed": 3},
                 "domains": [
                  {"name": "stories", "kind": "text", "weight": 0.4, "sources": ["story*.txt"]},
                  {"name": "code", "kind": "text", "weight": 0.3, "sources": ["code*.java"]},
                  {"name": "arithmetic", "kind": "arithmetic", "weight": 0.3, "count": 80}]}
                """);
    }

    @Test
    void collapseTrainsFourVariantsAndChartsTheirBalance() throws Exception {
        Path out = run("collapse");

        TrainingExperiment result = ResultFile.read(out.resolve("collapse.json"), TrainingExperiment.class);
        assertThat(result.runs()).extracting(r -> r.variant().name()).containsExactly("no balance loss, no z-loss",
                "no balance loss, z-loss 1e-3", "balance 1e-2, no z-loss", "balance 1e-2, z-loss 1e-3");
        assertThat(result.runs()).extracting(r -> r.variant().balanceWeight()).containsExactly(0f, 0f, 0.01f, 0.01f);
        for (TrainingExperiment.Run run : result.runs()) {
            assertThat(run.routing()).extracting(TrainingExperiment.RoutingPoint::step).containsExactly(1, 2);
            assertThat(run.routing().get(0).layers()).singleElement()
                    .satisfies(layer -> assertThat(layer.tokens()).isEqualTo(2 * 16));
            assertThat(run.heldOut().get(run.heldOut().size() - 1).step()).isEqualTo(2);
            assertThat(run.lossByDomain()).containsOnlyKeys("stories", "code", "arithmetic");
            assertThat(run.skippedSteps()).isZero();
        }
        assertThat(result.settings().hidden()).isEqualTo(16);
        assertThat(result.settings().trainingTokensByDomain()).containsOnlyKeys("stories", "code", "arithmetic");
        png(out.resolve("collapse-balance.png"));
        png(out.resolve("collapse-loss.png"));

        Files.delete(out.resolve("collapse-balance.png"));
        ToolRun redraw = ToolRun.of("lab", "collapse", "--recipe", recipe.toString(), "--out", out.toString(), "--redraw");
        assertThat(redraw.exitCode()).as(redraw.stderr()).isZero();
        png(out.resolve("collapse-balance.png")); // drawn again from collapse.json, nothing trained
        assertThat(ResultFile.read(out.resolve("collapse.json"), TrainingExperiment.class)).isEqualTo(result);
    }

    @Test
    void expertsPerTokenEqualisesActiveExpertParametersByWidth() throws Exception {
        Path out = run("experts-per-token");

        TrainingExperiment result = ResultFile.read(out.resolve("experts-per-token.json"), TrainingExperiment.class);
        // One layer, hidden 16: k experts of 3 · 16 · width. Top-2 at width 8 runs 2 · 3 · 16 · 8 = 768.
        assertThat(result.runs()).extracting(r -> r.variant().expertsPerToken()).containsExactly(1, 2, 4, 1, 4);
        assertThat(result.runs()).extracting(r -> r.variant().expertWidth()).containsExactly(8, 8, 8, 16, 4);
        assertThat(result.runs()).extracting(TrainingExperiment.Run::activeExpertParameters)
                .containsExactly(384L, 768L, 1536L, 768L, 768L);
        png(out.resolve("experts-per-token-loss.png"));
        png(out.resolve("experts-per-token-final.png"));
    }

    @Test
    void capacityWithoutALimitDropsNothing() throws Exception {
        Path out = run("capacity");

        TrainingExperiment result = ResultFile.read(out.resolve("capacity.json"), TrainingExperiment.class);
        assertThat(result.runs()).extracting(r -> r.variant().capacityFactor()).containsExactly(1.0, 1.25, 2.0, 4.0);
        assertThat(result.runs()).allSatisfy(r -> assertThat(r.variant().routing()).isEqualTo("switch"));
        TrainingExperiment.Run unlimited = result.runs().get(3);
        assertThat(unlimited.routing()).allSatisfy(point -> assertThat(LayerMeans.dropRate(point)).isZero());
        png(out.resolve("capacity.png"));
    }

    @Test
    void ablationAndSpecialisationMeasureATrainedModel() throws Exception {
        Path model = directory.resolve("model");
        assertThat(ToolRun.of("train", "--recipe", recipe.toString(), "--out", model.toString()).exitCode()).isZero();
        Path out = directory.resolve("trained-out");

        ToolRun ablation = ToolRun.of("lab", "ablation", "--recipe", recipe.toString(), "--model", model.toString(),
                "--out", out.toString(), "--windows", "2");
        assertThat(ablation.exitCode()).as(ablation.stderr()).isZero();
        AblationResult ablated = ResultFile.read(out.resolve("ablation.json"), AblationResult.class);
        assertThat(ablated.ablated()).extracting(AblationResult.Ablated::expert).containsExactly(0, 1, 2, 3);
        double largest = 0;
        for (AblationResult.Ablated a : ablated.ablated()) {
            for (String domain : ablated.domains()) {
                assertThat(a.change().get(domain)).isCloseTo(a.loss().get(domain) - ablated.baseline().get(domain), within(1e-12));
                if (a.loadShare().get(domain) == 0) {
                    // No token of the domain chose the expert, so masking it leaves the domain's routing as it was.
                    assertThat(a.change().get(domain)).isCloseTo(0, within(1e-5));
                }
                largest = Math.max(largest, Math.abs(a.change().get(domain)));
            }
        }
        assertThat(largest).as("masking an expert its tokens use changes the loss").isGreaterThan(1e-4);
        png(out.resolve("ablation.png"));

        ToolRun specialisation = ToolRun.of("lab", "specialisation", "--recipe", recipe.toString(), "--model",
                model.toString(), "--out", out.toString(), "--windows", "2");
        assertThat(specialisation.exitCode()).as(specialisation.stderr()).isZero();
        SpecialisationResult routing = ResultFile.read(out.resolve("specialisation.json"), SpecialisationResult.class);
        assertThat(routing.layers()).singleElement().satisfies(layer -> {
            assertThat(layer.domains()).extracting(SpecialisationResult.DomainRouting::domain)
                    .containsExactlyElementsOf(ablated.domains());
            assertThat(layer.domains()).allSatisfy(d -> assertThat(d.loadShare().stream().mapToDouble(Double::doubleValue)
                    .sum()).isCloseTo(1, within(1e-9)));
            assertThat(layer.topTokens()).hasSize(4);
        });
        png(out.resolve("specialisation-domains.png"));
        png(out.resolve("specialisation-consecutive.png"));
    }

    @Test
    void labAloneNamesTheExperiments() {
        ToolRun run = ToolRun.of("lab");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("collapse, specialisation, experts-per-token, capacity or ablation");
    }

    @Test
    void aBadScaleIsAUsageMistake() {
        ToolRun run = ToolRun.of("lab", "collapse", "--recipe", recipe.toString(), "--steps", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--steps").contains("usage: lab collapse");
    }

    private static Path run(String experiment) {
        Path out = directory.resolve(experiment + "-out");
        String[] args = new String[TINY.length + 6];
        args[0] = "lab";
        args[1] = experiment;
        args[2] = "--recipe";
        args[3] = recipe.toString();
        args[4] = "--out";
        args[5] = out.toString();
        System.arraycopy(TINY, 0, args, 6, TINY.length);
        ToolRun run = ToolRun.of(args);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("wrote ");
        return out;
    }

    private static void png(Path file) throws Exception {
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).as(file + " is a PNG").isNotNull();
        assertThat(List.of(image.getWidth(), image.getHeight())).allSatisfy(size -> assertThat(size).isGreaterThan(100));
    }
}
