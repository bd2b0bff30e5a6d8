package dev.switchboard.runtime.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.switchboard.kernels.VectorKernels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Views of a tensor's own memory for the host decode path ({@link HostDecode}): float32 tensors on the CPU, read and
 * written in place by Java ({@code NDArray.toByteBuffer(true)} is the tensor's storage, not a copy, for a contiguous
 * tensor). Only where the Vector API kernels run, as the path exists to replace native calls with them.
 */
final class HostMemory {

    private HostMemory() {}

    /** Whether Java may read {@code array} in place: float32, on the CPU, outside autograd, with the kernels present. */
    static boolean viewable(NDArray array) {
        return array != null && VectorKernels.available() && array.getDevice().equals(Device.cpu())
                && array.getDataType() == DataType.FLOAT32 && !array.hasGradient();
    }

    /** {@code array}'s float32 values in native byte order, in place; {@link #viewable} must hold. */
    static ByteBuffer view(NDArray array) {
        return array.toByteBuffer(true).order(ByteOrder.nativeOrder());
    }

    /** {@code array} copied once into the JVM (a small constant such as a bias), or null when it is null. */
    static float[] copy(NDArray array) {
        return array == null ? null : array.toFloatArray();
    }
}
