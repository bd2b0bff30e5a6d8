package dev.switchboard.runtime.model;

import dev.switchboard.runtime.fixtures.ReferenceFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.runtime.checkpoint.Checkpoint;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Native memory: steps leave nothing behind, sequences free their caches, unknown kinds fail clearly. */
class ResourceLifecycleTest {

    @Test
    void manyStepsLeakNoArraysAndClosedSequencesFreeTheirCaches() {
        try (Checkpoint checkpoint = ReferenceFixture.named(ReferenceFixture.TINY_F32).open();
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults())) {
            int afterLoad = model.nativeArrayCount();
            SequenceState a = model.newSequence();
            SequenceState b = model.newSequence();
            model.forward(List.of(new StepInput(a, new int[] {1, 5, 9}), new StepInput(b, new int[] {1, 2})),
                    new ForwardOptions(true, true, true));
            int withCaches = model.nativeArrayCount();
            int layers = checkpoint.config().numHiddenLayers();
            assertThat(withCaches).as("one pooled keys and values tensor per layer, shared by the sequences")
                    .isEqualTo(afterLoad + 2 * layers);
            for (int step = 0; step < 100; step++) {
                model.forward(List.of(new StepInput(a, new int[] {step % 500}), new StepInput(b, new int[] {7})),
                        ForwardOptions.TRACE);
            }
            assertThat(model.nativeArrayCount()).as("no per-step temporaries survive").isEqualTo(withCaches);
            assertThat(a.length()).isEqualTo(103);
            assertThat(a.cacheBytes()).isGreaterThan(0);
            a.close();
            b.close();
            assertThat(a.cacheBytes()).isZero();
            assertThat(model.nativeArrayCount()).as("the pool is freed with its last block").isEqualTo(afterLoad);
            assertThatThrownBy(() -> model.forward(List.of(new StepInput(a, new int[] {1})), ForwardOptions.DEFAULT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void unknownExpertKindIsAClearLoadError() {
        ExpertKindResolver none = new ExpertKindResolver() {
            @Override
            public Optional<dev.switchboard.spi.ExpertKind> find(String name) {
                return Optional.empty();
            }

            @Override
            public Collection<String> knownNames() {
                return List.of("gelu-mlp");
            }
        };
        try (Checkpoint checkpoint = ReferenceFixture.named(ReferenceFixture.TINY_F32).open()) {
            assertThatThrownBy(() -> MoeModel.load(checkpoint, ModelOptions.defaults().withExpertKinds(none)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'swiglu'")
                    .hasMessageContaining("gelu-mlp");
        }
    }

    @Test
    void classPathKindsIncludeSwiglu() {
        assertThat(ExpertKinds.fromClassPath().knownNames()).contains("swiglu");
    }

    @Test
    void invalidStepsAreRejectedBeforeTouchingTheCaches() {
        try (Checkpoint checkpoint = ReferenceFixture.named(ReferenceFixture.TINY_F32).open();
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults());
                SequenceState sequence = model.newSequence()) {
            assertThatThrownBy(() -> model.forward(List.of(new StepInput(sequence, new int[] {512})), ForwardOptions.DEFAULT))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("512");
            assertThatThrownBy(() -> model.forward(List.of(new StepInput(sequence, new int[] {1}),
                    new StepInput(sequence, new int[] {2})), ForwardOptions.DEFAULT))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("same sequence");
            assertThat(sequence.length()).isZero();
        }
    }
}
