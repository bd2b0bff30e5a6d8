package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Constants for arrays that training differentiates, in PyTorch's own memory. DJL's {@code x.mul(2f)} (and
 * {@code div}, {@code pow}, ... with any {@code Number}) wraps the number in an array over a Java direct buffer and
 * closes it as soon as the product exists, but autograd keeps that scalar to compute the gradient later; once the
 * garbage collector has freed the buffer and malloc has handed its memory to someone else, back-propagation
 * multiplies by whatever is there. That was the rare non-finite (or silently wrong) query gradient of training
 * (docs/DEFAULT-MODEL.md): the query projection is scaled by 1/√head_dim. A copy in PyTorch's memory is
 * reference-counted by the graph like any other tensor, so closing it before the backward is safe. The copy is
 * {@code duplicate()}: DJL's {@code toType(sameType, true)} returns an alias of the Java buffer, not a copy.
 */
public final class GraphConstant {

    private GraphConstant() {}

    /**
     * {@code value} as a 0-dimensional float32 array attached to {@code manager}. Float32 like the array DJL's
     * overload makes, so products keep their type and value: a 0-dimensional operand does not widen the other's
     * type, and half-precision kernels take it at full precision.
     */
    public static NDArray scalar(NDManager manager, float value) {
        try (NDArray staged = manager.create(value)) { // over a Java direct buffer
            return staged.duplicate(); // a copy in PyTorch's memory
        }
    }

    /** {@code values} as a float32 vector attached to {@code manager}, in PyTorch's memory. */
    public static NDArray vector(NDManager manager, float[] values) {
        try (NDArray staged = manager.create(values)) {
            return staged.duplicate();
        }
    }
}
