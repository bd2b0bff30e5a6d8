package dev.switchboard.spi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Set;

/**
 * Named weight tensors for one expert, in Hugging Face layout ({@code [out, in]}), already in the
 * working data type.
 *
 * <p><b>Ownership.</b> The caller owns the tensors and closes them after {@link ExpertKind#create}
 * returns: an expert that keeps a tensor must copy it into memory it owns.
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

    /**
     * The tensor with this name, checked against the shape the kind expects.
     *
     * @throws IllegalArgumentException when the weight is missing or its shape differs; the message names
     *     the weight, the expected and the found shape
     */
    default NDArray get(String name, Shape expected) {
        NDArray weight = get(name);
        if (!weight.getShape().equals(expected)) {
            throw new IllegalArgumentException(
                    "weight '" + name + "' must have shape " + expected + " but has " + weight.getShape());
        }
        return weight;
    }
}
