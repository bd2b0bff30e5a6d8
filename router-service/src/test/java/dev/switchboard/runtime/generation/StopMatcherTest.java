package dev.switchboard.runtime.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopMatcherTest {

    /** Feeds the deltas, returns everything emitted (plus the flush if no stop) and whether it stopped. */
    private static StopMatcher.Emission run(List<String> stops, String... deltas) {
        StopMatcher matcher = new StopMatcher(stops);
        StringBuilder out = new StringBuilder();
        for (String delta : deltas) {
            StopMatcher.Emission e = matcher.accept(delta);
            out.append(e.text());
            if (e.stopped()) {
                return new StopMatcher.Emission(out.toString(), true);
            }
        }
        return new StopMatcher.Emission(out.append(matcher.flush()).toString(), false);
    }

    @Test
    void stopStringSplitAcrossDeltasIsHeldBackThenSuppressed() {
        StopMatcher matcher = new StopMatcher(List.of("</s>"));

        assertThat(matcher.accept("Hello <")).isEqualTo(new StopMatcher.Emission("Hello ", false));
        assertThat(matcher.accept("/")).isEqualTo(new StopMatcher.Emission("", false));
        assertThat(matcher.accept("s> world")).isEqualTo(new StopMatcher.Emission("", true));
        assertThat(matcher.flush()).isEmpty();
        assertThat(matcher.stopped()).isTrue();
    }

    @Test
    void heldPrefixThatDoesNotCompleteIsReleased() {
        StopMatcher matcher = new StopMatcher(List.of("</s>"));

        assertThat(matcher.accept("a </")).isEqualTo(new StopMatcher.Emission("a ", false));
        assertThat(matcher.accept("b>")).isEqualTo(new StopMatcher.Emission("</b>", false));
        assertThat(matcher.accept("<")).isEqualTo(new StopMatcher.Emission("", false));
        assertThat(matcher.flush()).isEqualTo("<");
    }

    @Test
    void stopAtTheVeryStartEmitsNothing() {
        assertThat(run(List.of("###"), "###", "ignored")).isEqualTo(new StopMatcher.Emission("", true));
        assertThat(run(List.of("###"), "#", "#", "#")).isEqualTo(new StopMatcher.Emission("", true));
    }

    @Test
    void overlappingStopStringsTheEarliestWins() {
        // "abc" starts at 1, "bcd" at 2: stop at 1
        assertThat(run(List.of("bcd", "abc"), "xa", "bcd")).isEqualTo(new StopMatcher.Emission("x", true));
        // one stop is a prefix of the other: the shorter completes first
        assertThat(run(List.of("END!", "END"), "the EN", "D! more")).isEqualTo(new StopMatcher.Emission("the ", true));
    }

    @Test
    void selfOverlappingStopFoundAfterAFalseStart() {
        // "aab" in "aaab": the first 'a' is safe only once the tail "aa" could still start "aab"
        StopMatcher matcher = new StopMatcher(List.of("aab"));

        assertThat(matcher.accept("a")).isEqualTo(new StopMatcher.Emission("", false));
        assertThat(matcher.accept("a")).isEqualTo(new StopMatcher.Emission("", false));
        assertThat(matcher.accept("a")).isEqualTo(new StopMatcher.Emission("a", false));
        assertThat(matcher.accept("b")).isEqualTo(new StopMatcher.Emission("", true));
    }

    @Test
    void noStopStringsPassesEverythingThrough() {
        StopMatcher matcher = new StopMatcher(List.of());

        assertThat(matcher.accept("anything <")).isEqualTo(new StopMatcher.Emission("anything <", false));
        assertThat(matcher.flush()).isEmpty();
    }

    @Test
    void textAfterAStopIsRefused() {
        StopMatcher matcher = new StopMatcher(List.of("x"));
        matcher.accept("x");

        assertThatThrownBy(() -> matcher.accept("more"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already completed");
        assertThatThrownBy(() -> new StopMatcher(List.of("")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be empty");
    }
}
