package dev.switchboard.tools.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.tools.eval.EvalSession;
import dev.switchboard.tools.eval.HandComputedModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Specialisation's per-domain shares and distances on eval's hand-computed model (one layer, four experts; routing
 * worked out in {@link HandComputedModel}): two windows per domain, each the whole held-out stream.
 */
class SpecialisationResultTest {

    @TempDir
    Path directory;

    @Test
    void sharesPerDomainAndTheirDistanceFromAllDomains() throws Exception {
        Path recipe = HandComputedModel.write(directory);
        SpecialisationResult result;
        try (EvalSession session = EvalSession.open(directory.resolve("model"), recipe, 2)) {
            result = SpecialisationResult.of(session.evaluate(8));
        }

        SpecialisationResult.Layer layer = result.layers().get(0);
        SpecialisationResult.DomainRouting bees = layer.domains().get(1);
        // bees per window: <s> → (1, 2) and seven b → (2, 3); two windows: loads 0, 2, 16, 14 of 32 assignments
        assertThat(bees.domain()).isEqualTo("bees");
        assertThat(bees.loadShare()).containsExactly(0.0, 2.0 / 32, 16.0 / 32, 14.0 / 32);
        // all tokens: loads 8, 12, 24, 20 of 64 (EvalCommandTest); |differences| 1/8 each, half their sum 1/4
        assertThat(bees.distanceFromAll()).isCloseTo(0.25, within(1e-12));
        assertThat(result.experts()).isEqualTo(4);
        assertThat(result.expertsPerToken()).isEqualTo(2);
        assertThat(result.randomSameFirstRate()).isEqualTo(0.25);
        assertThat(layer.topTokens()).hasSize(4);
        assertThat(layer.topTokens().get(0)).extracting(t -> t.token()).containsExactly("a");
    }

    @Test
    void distanceIsHalfTheSummedAbsoluteDifference() {
        assertThat(SpecialisationResult.distance(List.of(1.0, 0.0), List.of(0.0, 1.0))).isEqualTo(1.0);
        assertThat(SpecialisationResult.distance(List.of(0.5, 0.5), List.of(0.5, 0.5))).isZero();
    }
}
