package dev.switchboard.runtime.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Set;

/**
 * A model's tensors under their Hugging Face names ({@link TensorLayout}): a {@link Checkpoint}
 * on disk, or the live parameters of a model being trained. The model's layers are built from either the same
 * way, so serving and training run one definition of the model.
 */
public interface TensorSource {

    MixtralConfig config();

    /** Names of all tensors (those of {@link TensorLayout#expected}). */
    Set<String> tensorNames();

    /**
     * The tensor {@code name} in {@code manager} as {@code workingType}; the caller may close the result (or
     * {@code manager}) without affecting the source.
     *
     * @throws IllegalArgumentException for an unknown tensor
     */
    NDArray load(String name, NDManager manager, DataType workingType);
}
