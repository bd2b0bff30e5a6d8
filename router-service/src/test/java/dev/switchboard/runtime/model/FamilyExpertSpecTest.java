package dev.switchboard.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.experts.swiglu.SwiGluKind;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.fixtures.ReferenceFixture;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertSpec;
import dev.switchboard.spi.ExpertWeights;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Every expert of a family model is built through the expert kind with the spec of its own place: routed experts of
 * {@code moe_intermediate_size}, the shared expert of {@code shared_expert_intermediate_size}, a dense layer's MLP of
 * {@code intermediate_size}, each under the SPI's weight names {@code w1, w2, w3}.
 */
class FamilyExpertSpecTest {

    /** Record of what the host handed the kind. */
    record Built(ExpertSpec.Role role, int dFf, Set<String> weights) {}

    @Test
    void eachPlaceGetsItsOwnWidthAndRole() {
        List<Built> built = new CopyOnWriteArrayList<>();
        ExpertKind swiglu = new SwiGluKind();
        ExpertKind recording = new ExpertKind() {
            @Override
            public String name() {
                return swiglu.name();
            }

            @Override
            public Set<String> weightNames() {
                return swiglu.weightNames();
            }

            @Override
            public Expert create(ExpertSpec spec, ExpertWeights weights) {
                built.add(new Built(spec.role(), spec.dFf(), weights.names()));
                return swiglu.create(spec, weights);
            }
        };
        ReferenceFixture fixture = ReferenceFixture.named(ReferenceFixture.QWEN2_MOE_DENSE_BF16); // layer 0 dense, layer 1 sparse
        try (Checkpoint checkpoint = fixture.open();
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults().withExpertKinds(WrappingKinds.resolver(recording)))) {
            assertThat(model.sharedExpert(0)).isEmpty();
            assertThat(model.sharedExpert(1)).isPresent();
            assertThat(model.experts().layer(0).size()).isEqualTo(1);
            assertThat(model.expertSpec().dFf()).isEqualTo(40);
        }
        Set<String> swigluWeights = Set.of("w1", "w2", "w3");
        assertThat(built).containsExactlyInAnyOrder(
                new Built(ExpertSpec.Role.SHARED, 56, swigluWeights),
                new Built(ExpertSpec.Role.DENSE, 64, swigluWeights),
                new Built(ExpertSpec.Role.ROUTED, 40, swigluWeights),
                new Built(ExpertSpec.Role.ROUTED, 40, swigluWeights),
                new Built(ExpertSpec.Role.ROUTED, 40, swigluWeights),
                new Built(ExpertSpec.Role.ROUTED, 40, swigluWeights));
    }
}
