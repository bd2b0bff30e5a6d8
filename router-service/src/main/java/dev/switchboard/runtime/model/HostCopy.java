package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The one way a serving step copies a tensor from the model's device to the JVM: each MoE layer's router logits and
 * the step's output logits (docs/adr/0007-what-crosses-the-host-device-boundary.md). On a GPU each call waits for the
 * device, so the number and size of these copies per step is what a GPU step pays beyond its kernels; tests count
 * them through a wrapper ({@link ModelOptions#withHostCopy}).
 */
@FunctionalInterface
public interface HostCopy {

    /** The engine's own copy, float32 (other working types are converted on the device first). */
    HostCopy DIRECT = array -> (array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false))
            .toFloatArray();

    /** {@code array}'s values, row-major, as float32 on the host. */
    float[] toHost(NDArray array);
}
