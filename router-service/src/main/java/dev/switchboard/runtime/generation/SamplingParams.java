package dev.switchboard.runtime.generation;

import java.util.List;

/**
 * How to pick each next token of one sequence, validated on construction.
 *
 * @param temperature divides the logits before the softmax; 0 means greedy (argmax), and so does a temperature
 *     too small for 1/T to be finite; must be finite and &ge; 0
 * @param topK keep only the k most likely tokens before sampling; 0 turns it off
 * @param topP nucleus sampling: keep the smallest set of most likely tokens whose probability
 *     reaches topP; in (0, 1], 1 turns it off
 * @param seed seed of the sequence's random generator; {@code null} draws a random seed
 * @param maxTokens most tokens to generate, &ge; 1
 * @param stop strings that end generation when produced (never emitted); {@code null} means none
 */
public record SamplingParams(double temperature, int topK, double topP, Long seed, int maxTokens, List<String> stop) {

    public SamplingParams {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0 (0 = greedy), found "
                    + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = off), found " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1] (1 = off), found " + topP);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, found " + maxTokens);
        }
        stop = stop == null ? List.of() : List.copyOf(stop);    // copyOf rejects null elements
        for (String s : stop) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty, found \"\" in " + stop);
            }
        }
    }

    /** Greedy decoding (temperature 0) of at most {@code maxTokens} tokens, no stop strings. */
    public static SamplingParams greedy(int maxTokens) {
        return new SamplingParams(0, 0, 1, null, maxTokens, List.of());
    }

    /**
     * Whether the next token is the argmax rather than a random draw: temperature 0, or one so small (a
     * subnormal such as 1e-320) that 1/T overflows to infinity, where (logit − max)·(1/T) would be NaN for the
     * best token and the draw would fall through to token 0. Such a temperature means "greedy" anyway.
     */
    public boolean isGreedy() {
        return Double.isInfinite(1.0 / temperature);
    }
}
