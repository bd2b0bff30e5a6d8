package dev.switchboard.runtime.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.runtime.model.ExpertKinds;
import dev.switchboard.runtime.routing.LayerChoice;
import dev.switchboard.runtime.routing.TokenTrace;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime's serving API on the committed 2-layer, 4-expert, top-2 fixture: the engine reports as much routing as
 * asked, and an expert-table edit is installed whole, or not at all when it fails.
 */
class ServingApiTest {

    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/tiny-gqa-top2");
    private static final int[] PROMPT = {1, 5, 9, 300, 42, 7};
    private static final ExpertKind SWIGLU = ExpertKinds.fromClassPath().find("swiglu").orElseThrow();

    private ModelRuntime runtime;

    @BeforeEach
    void load() {
        runtime = ModelRuntime.load(FIXTURE);
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void theEngineReportsTheRoutingItWasAskedFor() {
        ServingEngine engine = runtime.engine();
        try (EngineSequence none = engine.newSequence(); EngineSequence selected = engine.newSequence();
                EngineSequence full = engine.newSequence()) {
            StepOutcome noneStep = engine.step(List.of(new SequenceTokens(none, PROMPT)), RoutingCapture.NONE);
            assertThat(noneStep.routing()).isNull();

            List<TokenTrace> traced = engine.step(List.of(new SequenceTokens(selected, PROMPT)), RoutingCapture.SELECTED)
                    .routing().get(0);
            assertThat(traced).hasSize(PROMPT.length);
            for (TokenTrace token : traced) {
                assertThat(token.layers()).hasSize(runtime.shape().layers());
                for (int[] chosen : token.experts()) {
                    assertThat(chosen).hasSize(runtime.shape().expertsPerToken());
                }
                assertThat(token.probabilities()).isNull();
            }

            StepOutcome fullStep = engine.step(List.of(new SequenceTokens(full, PROMPT)), RoutingCapture.FULL);
            for (LayerChoice choice : fullStep.routing().get(0).get(0).layers()) {
                assertThat(choice.probabilities()).hasSize(runtime.shape().experts());
            }
            assertThat(full.length()).isEqualTo(PROMPT.length);
            // the same prompt in fresh sequences: the same logits, whatever routing was reported (same float32 maths)
            float[] plain = noneStep.logits().get(0);
            float[] reported = fullStep.logits().get(0);
            assertThat(reported).hasSize(runtime.shape().vocabSize());
            for (int i = 0; i < plain.length; i++) {
                assertThat(reported[i]).isCloseTo(plain[i], within(1e-6f));
            }
        }
    }

    @Test
    void anEditIsInstalledWholeAndHandsBackWhatItDropped() {
        ExpertTableEditor experts = runtime.experts();
        Expert old = experts.layer(1).expert(2);
        Expert rebuilt = experts.rebuild(1, 2, SWIGLU, Map.of());

        List<Expert> dropped = experts.apply(table -> {
            table.replace(1, 2, rebuilt);
            table.setDisabled(0, 3, true);
        });

        assertThat(dropped).containsExactly(old);
        assertThat(experts.layer(1).expert(2)).isSameAs(rebuilt);
        assertThat(experts.layer(0).isDisabled(3)).isTrue();
        assertThat(experts.layer(0).enabledCount()).isEqualTo(3);
    }

    @Test
    void anEditThatFailsChangesNothing() {
        ExpertTableEditor experts = runtime.experts();
        List<Expert> before = experts.layer(0).experts();

        assertThatThrownBy(() -> experts.apply(table -> {
            table.setDisabled(0, 0, true);
            table.remove(0, before.get(1));
            throw new IllegalStateException("the edit changed its mind");
        })).hasMessage("the edit changed its mind");

        assertThat(experts.layer(0).experts()).containsExactlyElementsOf(before);
        assertThat(experts.layer(0).isDisabled(0)).isFalse();
    }

    @Test
    void anAddedExpertTakesTheNextIndexAndRemovingItAnswersWhereItWas() {
        ExpertTableEditor experts = runtime.experts();
        Expert copy = experts.rebuild(0, 1, SWIGLU, Map.of());
        int[] added = new int[1];
        experts.apply(table -> added[0] = table.add(0, copy, new float[experts.hiddenSize()], 0f));
        assertThat(added[0]).isEqualTo(runtime.shape().experts());
        assertThat(experts.gateRows(0)).hasSize((runtime.shape().experts() + 1) * experts.hiddenSize());

        int[] removed = new int[1];
        List<Expert> dropped = experts.apply(table -> removed[0] = table.remove(0, copy));

        assertThat(removed[0]).isEqualTo(added[0]);
        assertThat(dropped).containsExactly(copy);
        assertThat(experts.layer(0).size()).isEqualTo(runtime.shape().experts());
    }
}
