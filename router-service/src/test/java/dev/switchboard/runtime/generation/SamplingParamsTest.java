package dev.switchboard.runtime.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplingParamsTest {

    @Test
    void acceptsTheBoundaries() {
        SamplingParams p = new SamplingParams(0, 0, 1, null, 1, null);

        assertThat(p.isGreedy()).isTrue();
        assertThat(p.stop()).isEmpty();
        assertThat(SamplingParams.greedy(5).maxTokens()).isEqualTo(5);
    }

    @Test
    void stopListIsCopied() {
        List<String> stops = new ArrayList<>(List.of("</s>"));
        SamplingParams p = new SamplingParams(1, 0, 1, 7L, 3, stops);
        stops.add("x");

        assertThat(p.stop()).containsExactly("</s>");
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheField() {
        assertThatThrownBy(() -> new SamplingParams(-0.1, 0, 1, null, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature").hasMessageContaining("-0.1");
        assertThatThrownBy(() -> new SamplingParams(Double.NaN, 0, 1, null, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new SamplingParams(1, -1, 1, null, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topK");
        assertThatThrownBy(() -> new SamplingParams(1, 0, 0, null, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topP must be in (0, 1]");
        assertThatThrownBy(() -> new SamplingParams(1, 0, 1.5, null, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
        assertThatThrownBy(() -> new SamplingParams(1, 0, 1, null, 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTokens");
        assertThatThrownBy(() -> new SamplingParams(1, 0, 1, null, 1, List.of("")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be empty");
    }
}
