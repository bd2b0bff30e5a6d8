package dev.switchboard.runtime.training;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training windows cut from tokenised documents. Each domain's documents are joined into one stream
 * ({@code <s> doc </s> <s> doc </s> ...}); a batch draws each window's domain by weight, then a random start
 * in that stream. Inputs are {@code window} tokens, targets the same tokens shifted by one.
 */
public final class TokenWindows {

    /** A domain's token stream and its share of the windows. */
    public record Domain(String name, int[] tokens, double weight) {}

    /** Inputs and next-token targets, both {@code [batch][window]}. */
    public record Batch(int[][] inputs, int[][] targets) {}

    private final List<Domain> domains;
    private final int window;
    private final double totalWeight;

    public TokenWindows(List<Domain> domains, int window) {
        for (Domain domain : domains) {
            if (domain.tokens().length < window + 1) {
                throw new IllegalArgumentException("domain " + domain.name() + " has " + domain.tokens().length
                        + " tokens, fewer than one window of " + (window + 1));
            }
        }
        this.domains = List.copyOf(domains);
        this.window = window;
        this.totalWeight = domains.stream().mapToDouble(Domain::weight).sum();
    }

    /** Joins documents into one stream, each as {@code bos, ids..., eos}. */
    public static int[] stream(List<int[]> documents, int bos, int eos) {
        List<Integer> out = new ArrayList<>();
        for (int[] document : documents) {
            out.add(bos);
            for (int id : document) {
                out.add(id);
            }
            out.add(eos);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Consecutive, non-overlapping windows from the start of {@code tokens}, at most {@code maxWindows}: a fixed
     * measurement set, with no draw.
     */
    public static Batch consecutive(int[] tokens, int window, int maxWindows) {
        int count = Math.min(maxWindows, (tokens.length - 1) / window);
        if (count < 1) {
            throw new IllegalArgumentException(tokens.length + " tokens do not make one window of " + (window + 1));
        }
        int[][] inputs = new int[count][window];
        int[][] targets = new int[count][window];
        for (int row = 0; row < count; row++) {
            System.arraycopy(tokens, row * window, inputs[row], 0, window);
            System.arraycopy(tokens, row * window + 1, targets[row], 0, window);
        }
        return new Batch(inputs, targets);
    }

    public Batch sample(int batchSize, SplittableRandom random) {
        int[][] inputs = new int[batchSize][window];
        int[][] targets = new int[batchSize][window];
        for (int row = 0; row < batchSize; row++) {
            int[] tokens = pickDomain(random).tokens();
            int start = random.nextInt(tokens.length - window);
            System.arraycopy(tokens, start, inputs[row], 0, window);
            System.arraycopy(tokens, start + 1, targets[row], 0, window);
        }
        return new Batch(inputs, targets);
    }

    private Domain pickDomain(SplittableRandom random) {
        double draw = random.nextDouble() * totalWeight;
        for (Domain domain : domains) {
            draw -= domain.weight();
            if (draw < 0) {
                return domain;
            }
        }
        return domains.get(domains.size() - 1);
    }
}
