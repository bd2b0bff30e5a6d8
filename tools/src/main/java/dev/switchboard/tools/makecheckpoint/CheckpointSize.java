package dev.switchboard.tools.makecheckpoint;

import dev.switchboard.runtime.checkpoint.MixtralConfig;
import java.util.Arrays;
import java.util.Locale;

/**
 * The named model shapes that docs/PERFORMANCE.md and the tests use. The shapes are those of the random
 * checkpoints the external numpy reference makes under the same names, so a number measured on either
 * generator's {@code medium} is measured on the same shape (the random values differ between generators).
 */
enum CheckpointSize {

    /** About 0.29M parameters: the shape of the correctness fixtures. */
    TINY(64, 2, 4, 2, 4, 2, 128, 512),
    /** About 22M parameters: the serving and statistics benchmarks. */
    SMALL(256, 4, 8, 2, 8, 2, 768, 4096),
    /** About 640M parameters (2.6 GB in f32, 1.3 GB in bf16): the decode-bandwidth benchmark. */
    MEDIUM(1024, 8, 16, 4, 8, 2, 2816, 32000);

    private final int hidden;
    private final int layers;
    private final int heads;
    private final int kvHeads;
    private final int experts;
    private final int topK;
    private final int intermediate;
    private final int vocab;

    CheckpointSize(int hidden, int layers, int heads, int kvHeads, int experts, int topK, int intermediate, int vocab) {
        this.hidden = hidden;
        this.layers = layers;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.experts = experts;
        this.topK = topK;
        this.intermediate = intermediate;
        this.vocab = vocab;
    }

    /** {@code tiny}, {@code small} or {@code medium}. */
    static CheckpointSize named(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown size '" + name + "': use one of " + names());
        }
    }

    static String names() {
        return String.join(", ", Arrays.stream(values()).map(CheckpointSize::label).toList());
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A plain Mixtral: RMSNorm ε 1e-5, rope θ 1e6 (Mixtral 8x7B's values), 4096 positions, untied embeddings,
     * BOS 1 / EOS 2 as in the tokenizer, renormalised top-k routing with SwiGLU experts.
     */
    MixtralConfig config() {
        return new MixtralConfig(MixtralConfig.MIXTRAL, hidden, intermediate, layers, heads, kvHeads, hidden / heads,
                experts, topK, 1e-5, 1e6, 4096, vocab, false, 1, 2, true, "topk", 1.25, "swiglu");
    }
}
