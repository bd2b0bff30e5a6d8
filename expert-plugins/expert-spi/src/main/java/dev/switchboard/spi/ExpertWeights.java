package dev.switchboard.spi;

import ai.djl.ndarray.NDArray;
import java.util.Set;

/**
 * Named weight tensors for one expert, in Hugging Face layout ({@code [out, in]}), already in the
 * working data type. Owned by the caller: an expert that keeps a tensor must copy or duplicate it.
 */
public interface ExpertWeights {

    /** The names available, for example {@code w1, w2, w3}. */
    Set<String> names();

    /**
     * The tensor with this name.
     *
     * @throws IllegalArgumentException when there is no such weight
     */
    NDArray get(String name);
}
