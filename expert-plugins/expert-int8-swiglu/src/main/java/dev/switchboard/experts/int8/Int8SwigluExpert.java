package dev.switchboard.experts.int8;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import dev.switchboard.kernels.SwiGluKernel;
import dev.switchboard.kernels.VectorKernels;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertSpec;

/**
 * One {@code int8-swiglu} expert: {@code y = (silu(x·W1ᵀ) ⊙ x·W3ᵀ) · W2ᵀ} over int8 weights. On a CPU with the
 * Vector API the Java kernel multiplies the int8 values directly, for any number of tokens (no float copy of a
 * matrix, a quarter of float32's bytes read); elsewhere each matrix is dequantised into a temporary for PyTorch.
 * Immutable after construction.
 */
final class Int8SwigluExpert implements Expert {

    private final NDManager manager;
    private final Int8Rows w1; // gate projection, (dFf, dModel)
    private final Int8Rows w2; // down projection, transposed, (dFf, dModel)
    private final Int8Rows w3; // up projection, (dFf, dModel)
    private final SwiGluKernel kernel; // null when the kernel cannot run here
    private final long parameters;
    private volatile boolean closed;

    Int8SwigluExpert(ExpertSpec spec, NDArray w1, NDArray w2, NDArray w3) {
        this(spec, w1, w2, w3, VectorKernels.allowedBy(spec.options()));
    }

    /** {@code kernelAllowed} false forces the PyTorch path (tests of the JVM without the Vector API). */
    Int8SwigluExpert(ExpertSpec spec, NDArray w1, NDArray w2, NDArray w3, boolean kernelAllowed) {
        manager = NDManager.newBaseManager(spec.device());
        try {
            this.w1 = Int8Rows.quantise(w1, false, spec.dataType(), manager);
            this.w2 = Int8Rows.quantise(w2, true, spec.dataType(), manager);
            this.w3 = Int8Rows.quantise(w3, false, spec.dataType(), manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        kernel = kernelAllowed && spec.device().equals(Device.cpu())
                ? new SwiGluKernel(this.w1.kernelRows(), this.w3.kernelRows(), this.w2.kernelRows())
                : null;
        parameters = w1.size() + w2.size() + w3.size();
    }

    @Override
    public NDArray forward(NDArray tokens) { // (n, dModel)
        if (closed) {
            throw new IllegalStateException("int8-swiglu expert used after close()");
        }
        if (kernel != null && tokens.getDataType() == DataType.FLOAT32 && !tokens.hasGradient()) {
            float[] y = kernel.forward(tokens.toFloatArray(), Math.toIntExact(tokens.getShape().get(0)));
            return tokens.getManager().create(y, tokens.getShape());
        }
        try (NDArray gate = w1.multiply(tokens); // (n, dFf)
                NDArray up = w3.multiply(tokens); // (n, dFf)
                NDArray hidden = Activation.sigmoid(gate)) { // (n, dFf)
            hidden.muli(gate).muli(up); // silu(gate) ⊙ up, (n, dFf)
            return w2.multiply(hidden); // (n, dModel)
        }
    }

    /** Whether forward runs on the Java kernel (for tests). */
    boolean usesKernel() {
        return kernel != null;
    }

    @Override
    public long parameterCount() {
        return parameters;
    }

    @Override
    public long memoryBytes() {
        return w1.memoryBytes() + w2.memoryBytes() + w3.memoryBytes();
    }

    @Override
    public void close() {
        closed = true;
        manager.close();
    }
}
