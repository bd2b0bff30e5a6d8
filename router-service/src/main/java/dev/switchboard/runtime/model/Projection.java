package dev.switchboard.runtime.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.switchboard.kernels.MatrixVector;
import dev.switchboard.kernels.VectorKernels;
import dev.switchboard.kernels.WeightRows;

/**
 * {@code x · W} for a pre-transposed, contiguous weight {@code W: (in, out)}. One token on a CPU with the Vector API,
 * and the decode tokens of a host decode step ({@link #applyOnHost}), run on the Java kernel over the weight's own
 * memory, on all cores; anything else on tensors (prefill, GPU, float16, arrays that record gradients) is PyTorch's
 * matmul. See docs/PERFORMANCE.md.
 */
final class Projection {

    private final NDArray weight; // (in, out)
    private final WeightRows rows; // the same memory, null when the kernel cannot run here

    /**
     * @param kernelAllowed false keeps every product on PyTorch whatever the input: training, whose products must
     *     record gradients, builds its layers with false, so a one-token window cannot leave the autograd graph
     */
    Projection(NDArray weight, boolean kernelAllowed) {
        this.weight = weight;
        boolean kernel = kernelAllowed && VectorKernels.available() && weight.getDevice().equals(Device.cpu())
                && weight.getDataType() == DataType.FLOAT32 && !weight.hasGradient();
        this.rows = kernel ? WeightRows.float32(weight.toByteBuffer(true),
                Math.toIntExact(weight.getShape().get(0)), Math.toIntExact(weight.getShape().get(1))) : null;
    }

    /** Whether {@link #applyOnHost} can run: the kernel path is open for this weight. */
    boolean onHost() {
        return rows != null;
    }

    /**
     * {@code x (n, in) -> (n, out)} of {@code n} decode tokens on the Java kernel, for the host decode path
     * ({@link HostDecode}): each weight row is read once for all {@code n}.
     */
    float[] applyOnHost(float[] x, int n) {
        return MatrixVector.rowsCombined(rows, x, n);
    }

    /** {@code (n, in) -> (n, out)}, attached to {@code x}'s manager. */
    NDArray apply(NDArray x) {
        if (rows != null && x.getShape().get(0) == 1 && x.getDataType() == DataType.FLOAT32 && !x.hasGradient()) {
            float[] y = MatrixVector.rowsCombined(rows, x.toFloatArray());
            return x.getManager().create(y, new ai.djl.ndarray.types.Shape(1, rows.columns()));
        }
        return x.matMul(weight);
    }
}
