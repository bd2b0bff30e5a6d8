package dev.switchboard.runtime.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoutingStrategiesTest {

    @Test
    void mapsConfigNamesToStrategies() {
        assertThat(RoutingStrategies.forConfig("topk", 2, false, 1.25))
                .isInstanceOfSatisfying(TopKRouting.class, r -> {
                    assertThat(r.topK()).isEqualTo(2);
                    assertThat(r.normTopkProb()).isFalse();
                });
        assertThat(RoutingStrategies.forConfig("switch", 2, true, 1.5))
                .isInstanceOfSatisfying(SwitchRouting.class, r -> assertThat(r.capacityFactor()).isEqualTo(1.5));
        assertThat(RoutingStrategies.forConfig("Expert-Choice", 2, true, 2.0))
                .isInstanceOfSatisfying(ExpertChoiceRouting.class, r -> assertThat(r.capacityFactor()).isEqualTo(2.0));
    }

    @Test
    void unknownNameListsTheValidOnes() {
        assertThatThrownBy(() -> RoutingStrategies.forConfig("top2", 2, true, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topk, switch, expert-choice")
                .hasMessageContaining("'top2'");
    }
}
