package dev.switchboard.spi;

import java.util.Set;

/**
 * A kind of expert feed-forward network (for example {@code swiglu}) that builds experts from a spec
 * and named weights. Thread-safe: {@link #create} may be called from several threads.
 */
public interface ExpertKind {

    /** Unique name, referred to by model configuration ({@code swiglu}, {@code gelu-mlp}, ...). */
    String name();

    /** The weight names {@link #create} reads, for example {@code w1, w2, w3}. */
    Set<String> weightNames();

    /**
     * Builds one expert. The expert copies what it needs from {@code weights} into memory it owns
     * (the caller closes the weights afterwards).
     *
     * @throws IllegalArgumentException when a weight is missing or has the wrong shape; the message
     *     names the weight, the expected and the actual shape
     */
    Expert create(ExpertSpec spec, ExpertWeights weights);
}
