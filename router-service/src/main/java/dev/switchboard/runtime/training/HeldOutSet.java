package dev.switchboard.runtime.training;

import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The held-out windows training measures, per domain: the held-out documents joined into one stream
 * ({@link TokenWindows#stream}) and {@code windowsPerDomain} windows drawn from it with one generator seeded
 * {@code seed + 1}, drawn domain after domain in recipe order. The same seed and order give the same windows,
 * which is how {@code eval} reproduces the numbers in {@code training-report.json}.
 */
public final class HeldOutSet {

    /** Windows per domain that training evaluates on. */
    public static final int WINDOWS_PER_DOMAIN = 16;

    /**
     * One domain's held-out windows and the size of its whole held-out stream.
     *
     * @param predictedTokens positions of the stream that are predicted (its length minus the first token)
     * @param bytes UTF-8 bytes of the held-out documents (BOS and EOS add none), for bits per byte
     */
    public record Domain(String name, TokenWindows.Batch windows, long predictedTokens, long bytes) {}

    private HeldOutSet() {}

    /** The domains whose held-out stream is longer than one window; shorter ones are reported and left out. */
    public static List<Domain> build(Map<String, List<String>> heldOutDocuments, MoeTokenizer tokenizer, int bos, int eos,
            int window, int windowsPerDomain, long seed, Consumer<String> phases) {
        SplittableRandom random = new SplittableRandom(seed + 1);
        List<Domain> domains = new ArrayList<>();
        for (Map.Entry<String, List<String>> domain : heldOutDocuments.entrySet()) {
            int[] stream = TokenWindows.stream(domain.getValue().stream().map(tokenizer::encode).toList(), bos, eos);
            phases.accept(String.format("domain %s: %,d held-out tokens", domain.getKey(), stream.length));
            if (stream.length <= window) {
                phases.accept("domain " + domain.getKey() + ": held-out text is shorter than one window; not evaluated");
                continue;
            }
            TokenWindows windows = new TokenWindows(List.of(new TokenWindows.Domain(domain.getKey(), stream, 1)), window);
            long bytes = domain.getValue().stream().mapToLong(d -> d.getBytes(StandardCharsets.UTF_8).length).sum();
            domains.add(new Domain(domain.getKey(), windows.sample(windowsPerDomain, random), stream.length - 1, bytes));
        }
        return domains;
    }
}
