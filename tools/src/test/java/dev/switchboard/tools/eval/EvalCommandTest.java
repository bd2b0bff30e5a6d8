package dev.switchboard.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.tools.ToolRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code eval} on {@link HandComputedModel}, whose losses and routing are worked out by hand in the comments. Two
 * windows per domain, both the whole held-out stream, so every count is twice one window's.
 */
class EvalCommandTest {

    private static final double LN2 = Math.log(2);
    private static final double LN3 = Math.log(3);
    private static final double LN5 = Math.log(5);
    private static final double LN6 = Math.log(6);
    private static final double LN8 = Math.log(8);

    // <s>→a, a→b, b→a, a→a, a→b, b→b, b→a, a→</s>
    private static final double MIXED_SUM = LN3 + LN8 + LN5 + LN2 + LN8 + LN5 + LN5 + LN8;
    // <s>→b, six b→b, b→</s>
    private static final double BEES_SUM = LN6 + 7 * LN5;

    @TempDir
    static Path directory;
    private static Path recipe;
    private static EvalReport report;

    @BeforeAll
    static void evaluate() throws Exception {
        recipe = HandComputedModel.write(directory);
        report = EvalCommand.evaluate(CommandLine.populateCommand(new EvalArguments(System.out), "--model",
                directory.resolve("model").toString(), "--recipe", recipe.toString(), "--windows", "2", "--top-tokens", "8"));
    }

    @Test
    void heldOutLossPerDomainInNatsAndBitsPerByte() {
        DomainLoss mixed = report.domains().get(0).loss();
        DomainLoss bees = report.domains().get(1).loss();
        assertThat(mixed.domain()).isEqualTo("mixed");
        assertThat(mixed.positions()).isEqualTo(16);
        assertThat(mixed.natsPerToken()).isCloseTo(MIXED_SUM / 8, within(1e-4));
        assertThat(bees.natsPerToken()).isCloseTo(BEES_SUM / 8, within(1e-4));
        // The stream predicts 8 tokens of 13 bytes ("a b a a b b a"): bits per byte = its total bits / 13.
        assertThat(mixed.bitsPerByte()).isCloseTo(MIXED_SUM / LN2 / 13, within(1e-4));
        assertThat(bees.bitsPerByte()).isCloseTo(BEES_SUM / LN2 / 13, within(1e-4));
        assertThat(report.natsPerToken()).isCloseTo((MIXED_SUM + BEES_SUM) / 16, within(1e-4));
        assertThat(report.uniformLoss()).isCloseTo(Math.log(5), within(1e-12));
    }

    @Test
    void expertLoadAndBalanceOverAllTokens() {
        LayerReport layer = report.layers().get(0);
        // Per window: mixed <s>(1,2) a(0,1) b(2,3) a a b b a; bees <s>(1,2) and seven b(2,3).
        assertThat(layer.tokens()).isEqualTo(32);
        assertThat(layer.topK()).isEqualTo(2);
        assertThat(layer.load()).containsExactly(8, 12, 24, 20);
        assertThat(layer.firstChoice()).containsExactly(8, 4, 20, 0);
        LayerReport.Balance balance = layer.balance();
        assertThat(balance.cvLoad()).isCloseTo(Math.sqrt(40) / 16, within(1e-12)); // deviations −8, −4, 8, 4 from 16
        assertThat(balance.maxMeanLoad()).isCloseTo(1.5, within(1e-12));
        assertThat(balance.maxVio()).isCloseTo(0.5, within(1e-12));
        assertThat(balance.jainIndex()).isCloseTo(64.0 * 64 / (4 * (64 + 144 + 576 + 400)), within(1e-12));
        assertThat(balance.deadExpertFraction()).isZero();
        assertThat(balance.dropRate()).isZero();
        assertThat(report.domains().get(1).layers().get(0).balance().deadExpertFraction()).isEqualTo(0.25); // bees: expert 0 unused
    }

    @Test
    void consecutiveRatesPerDomainAndTheirRandomBaselines() {
        LayerReport.Consecutive mixed = report.domains().get(0).layers().get(0).consecutive();
        // <s>→a overlaps (expert 1), a→b differs, b→a differs, a→a same, a→b differs, b→b same, b→a differs.
        assertThat(mixed.pairs()).isEqualTo(14);
        assertThat(mixed.sameFirstRate()).isCloseTo(2.0 / 7, within(1e-12));
        assertThat(mixed.firstOrSecondRate()).isCloseTo(3.0 / 7, within(1e-12));
        LayerReport.Consecutive bees = report.domains().get(1).layers().get(0).consecutive();
        assertThat(bees.sameFirstRate()).isCloseTo(6.0 / 7, within(1e-12)); // <s>→b overlaps (expert 2), then b→b
        assertThat(bees.firstOrSecondRate()).isEqualTo(1.0);
        LayerReport.Consecutive all = report.layers().get(0).consecutive();
        assertThat(all.pairs()).isEqualTo(28);
        assertThat(all.sameFirstRate()).isCloseTo(16.0 / 28, within(1e-12));
        assertThat(all.randomSameFirstRate()).isEqualTo(0.25);
        assertThat(all.randomFirstOrSecondRate()).isCloseTo(1 - (2.0 / 4) * (1.0 / 3), within(1e-12));
    }

    @Test
    void topTokensPerExpertMostFrequentFirst() {
        List<List<LayerReport.TokenCount>> top = report.layers().get(0).topTokens();
        assertThat(top.get(0)).containsExactly(new LayerReport.TokenCount("a", 8));
        assertThat(top.get(1)).containsExactly(new LayerReport.TokenCount("a", 8), new LayerReport.TokenCount("<s>", 4));
        assertThat(top.get(2)).containsExactly(new LayerReport.TokenCount("b", 20), new LayerReport.TokenCount("<s>", 4));
        assertThat(top.get(3)).containsExactly(new LayerReport.TokenCount("b", 20));
    }

    @Test
    void jsonOutputIsOneObjectWithTheDocumentedShape() {
        ToolRun run = ToolRun.of("eval", "--model", directory.resolve("model").toString(), "--recipe", recipe.toString(),
                "--windows", "2", "--json");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode json = JsonMapper.builder().build().readTree(run.stdout());
        assertThat(json.get("window").asInt()).isEqualTo(HandComputedModel.WINDOW);
        assertThat(json.get("windows_per_domain").asInt()).isEqualTo(2);
        JsonNode heldOut = json.get("held_out");
        assertThat(heldOut.get("nats_per_token").asDouble()).isCloseTo((MIXED_SUM + BEES_SUM) / 16, within(1e-4));
        JsonNode mixed = heldOut.get("domains").get(0);
        assertThat(mixed.get("domain").asString()).isEqualTo("mixed");
        assertThat(mixed.get("tokens").asInt()).isEqualTo(16);
        assertThat(mixed.get("bits_per_byte").asDouble()).isCloseTo(MIXED_SUM / LN2 / 13, within(1e-4));
        assertThat(mixed.get("layers").get(0).get("consecutive").get("sameFirstRate").asDouble()).isCloseTo(2.0 / 7, within(1e-12));
        JsonNode layer = json.get("layers").get(0);
        assertThat(layer.get("load").toString()).isEqualTo("[8,12,24,20]");
        assertThat(layer.get("balance").get("maxMeanLoad").asDouble()).isEqualTo(1.5);
        assertThat(layer.get("consecutive").get("randomSameFirstRate").asDouble()).isEqualTo(0.25);
        assertThat(layer.get("top_tokens").get(2).get(0).get("token").asString()).isEqualTo("b");
        assertThat(layer.get("top_tokens").get(2).get(0).get("count").asInt()).isEqualTo(20);
    }

    @Test
    void humanReadableOutputNamesEveryDomainAndLayer() {
        String text = EvalCommand.render(report, false);
        assertThat(text).contains("mixed", "bees", "layer 0: 32 tokens, top-2 of 4 experts", "same first choice 57.1% (random 25.0%)");
    }
}
