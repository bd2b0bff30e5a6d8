package dev.switchboard.runtime.generation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from one decode step's logits: greedy, or temperature, top-k and top-p
 * (nucleus) sampling applied in that order, as Hugging Face's logits warpers do.
 *
 * <p>One instance per sequence: it owns the sequence's random generator (seeded from
 * {@link SamplingParams#seed()}, so the same seed and the same logits give the same tokens) and
 * scratch buffers reused across steps. Not thread-safe.
 *
 * <p>Cost per step for vocabulary V: greedy and plain temperature O(V); top-k O(V log k) with a
 * bounded heap, no full sort; top-p without top-k sorts once, only the keys that can be in the nucleus.
 */
public final class Sampler {

    /** {@code nucleusOf} value meaning "the nucleus is a fraction of the candidates' own mass". */
    private static final double WHOLE_CANDIDATE_SET = -1;

    private final SamplingParams params;
    private final SplittableRandom random;
    private long[] keys = new long[0];          // candidate order keys, best first after sorting
    private double[] weights = new double[0];   // unnormalised probabilities by token id
    private double[] candidateWeights = new double[0];  // unnormalised probabilities of keys[i]

    public Sampler(SamplingParams params) {
        this.params = params;
        this.random = params.seed() == null ? new SplittableRandom() : new SplittableRandom(params.seed());
    }

    /** The next token id for {@code logits} (one value per vocabulary entry). */
    public int sample(float[] logits) {
        if (logits.length == 0) {
            throw new IllegalArgumentException("logits must have one value per vocabulary entry, found none");
        }
        if (params.isGreedy()) {
            return argmax(logits);
        }
        boolean topK = params.topK() > 0 && params.topK() < logits.length;
        boolean topP = params.topP() < 1;
        if (!topK && !topP) {
            return sampleFull(logits);
        }
        if (topK) {
            return sampleSorted(logits, selectTopK(logits, params.topK()), topP, WHOLE_CANDIDATE_SET);
        }
        double vocabularyMass = exponentiate(logits);
        return sampleSorted(logits, sortNucleusCandidates(logits, vocabularyMass), true, vocabularyMass);
    }

    /** Highest logit, ties to the lowest id. */
    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 0; i < logits.length; i++) {
            requireNotNaN(logits[i], i);
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Temperature sampling over the whole vocabulary in id order, no sort. */
    private int sampleFull(float[] logits) {
        double sum = exponentiate(logits);
        double u = random.nextDouble() * sum;
        double cumulative = 0;
        int last = 0;
        for (int i = 0; i < logits.length; i++) {
            if (weights[i] > 0) {
                cumulative += weights[i];
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return last;    // u landed on the float round-off past the last bucket
    }

    /** weights[i] = exp((logit_i − max) / T) in float64, for every token id; returns their sum. */
    private double exponentiate(float[] logits) {
        float max = logits[argmax(logits)];
        requireFiniteMax(max);
        ensureCapacity(logits.length);
        double inverseTemperature = 1.0 / params.temperature();
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            weights[i] = Math.exp((logits[i] - (double) max) * inverseTemperature);
            sum += weights[i];
        }
        return sum;
    }

    /**
     * Softmax (float64) over the first n candidates in {@code keys} (best first), cut to the nucleus
     * when {@code nucleus}, then one draw. After top-k the nucleus is a fraction of the renormalised
     * top-k distribution (HF applies top-k before top-p, {@code nucleusOf} = WHOLE_CANDIDATE_SET);
     * otherwise of the whole vocabulary's mass {@code nucleusOf}, in the same (max-subtracted) units.
     */
    private int sampleSorted(float[] logits, int n, boolean nucleus, double nucleusOf) {
        float max = logits[tokenOf(keys[0])];
        requireFiniteMax(max);
        double inverseTemperature = 1.0 / params.temperature();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            candidateWeights[i] = Math.exp((logits[tokenOf(keys[i])] - (double) max) * inverseTemperature);
            sum += candidateWeights[i];
        }
        double total = nucleusOf == WHOLE_CANDIDATE_SET ? sum : nucleusOf;
        int kept = n;
        double keptSum = sum;
        if (nucleus) {
            // Smallest prefix whose cumulative probability reaches topP; at least one token.
            double target = params.topP() * total;
            double cumulative = 0;
            for (int i = 0; i < n; i++) {
                cumulative += candidateWeights[i];
                if (cumulative >= target) {
                    kept = i + 1;
                    keptSum = cumulative;
                    break;
                }
            }
        }
        double u = random.nextDouble() * keptSum;
        double cumulative = 0;
        for (int i = 0; i < kept; i++) {
            cumulative += candidateWeights[i];
            if (u < cumulative) {
                return tokenOf(keys[i]);
            }
        }
        return tokenOf(keys[0]);    // only reachable through round-off; the most likely token is the safe pick
    }

    /** Puts the k best tokens into keys[0..k), best first, via a bounded max-heap of keys (worst on top). */
    private int selectTopK(float[] logits, int k) {
        ensureCapacity(k);
        int size = 0;
        for (int i = 0; i < logits.length; i++) {
            long key = orderKey(logits[i], i);
            if (size < k) {
                keys[size] = key;
                siftUp(keys, size++);
            } else if (key < keys[0]) {
                keys[0] = key;
                siftDown(keys, 0, size);
            }
        }
        Arrays.sort(keys, 0, k);
        return k;
    }

    /**
     * Top-p without top-k: sorts, best first, only the tokens that can be in the nucleus. Tokens with
     * probability below τ = (1 − p) / V hold less than V·τ = 1 − p in total, so the tokens at or above τ
     * already hold more than p and the nucleus (a prefix in descending order) never reaches below τ.
     * Real LM distributions are peaked, so this usually leaves a few hundred keys to sort instead of V.
     */
    private int sortNucleusCandidates(float[] logits, double vocabularyMass) {
        double threshold = (1 - params.topP()) / logits.length * vocabularyMass;
        int n = 0;
        for (int i = 0; i < logits.length; i++) {
            if (weights[i] >= threshold) {
                keys[n++] = orderKey(logits[i], i);
            }
        }
        Arrays.sort(keys, 0, n);
        return n;
    }

    /**
     * A long that sorts ascending by descending logit, then ascending token id. The float's bits are
     * made monotone as a signed int (negative floats flipped), then inverted so larger logits come first.
     */
    private static long orderKey(float logit, int token) {
        requireNotNaN(logit, token);
        int bits = Float.floatToIntBits(logit);
        int monotone = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) ~monotone << 32) | token;
    }

    private static int tokenOf(long key) {
        return (int) key;
    }

    private static void siftUp(long[] heap, int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] >= heap[i]) {
                return;
            }
            swap(heap, parent, i);
            i = parent;
        }
    }

    private static void siftDown(long[] heap, int i, int size) {
        while (true) {
            int largest = i;
            int left = 2 * i + 1;
            int right = left + 1;
            if (left < size && heap[left] > heap[largest]) {
                largest = left;
            }
            if (right < size && heap[right] > heap[largest]) {
                largest = right;
            }
            if (largest == i) {
                return;
            }
            swap(heap, i, largest);
            i = largest;
        }
    }

    private static void swap(long[] a, int i, int j) {
        long t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private void ensureCapacity(int n) {
        if (keys.length < n) {
            keys = new long[n];
            weights = new double[n];
            candidateWeights = new double[n];
        }
    }

    private static void requireNotNaN(float logit, int token) {
        if (Float.isNaN(logit)) {
            throw new IllegalArgumentException("logit of token " + token + " is NaN; expected a number or -Infinity");
        }
    }

    private static void requireFiniteMax(float max) {
        if (Float.isInfinite(max)) {
            throw new IllegalArgumentException("cannot sample: the largest logit is " + max
                    + "; expected at least one finite logit");
        }
    }
}
